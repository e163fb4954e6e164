//! The deterministic data generator (`accord seed`, tests, benchmarks): realistic English,
//! Russian and Persian organisations and people from a seed. The same seed gives the same
//! names, emails, phones and tax ids (ids and timestamps are fresh).

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::customers::contacts::{CreateContactInput, ImportContacts, ImportContactsInput};
use crate::customers::organisations::{
    CreateOrganisationInput, ImportOrganisations, ImportOrganisationsInput, OrganisationKind,
};
use crate::door::Door;
use crate::error::ApiError;
use crate::io::MAX_IMPORT_BATCH;
use crate::security::Actor;

mod interactions;

pub use interactions::{InteractionsReport, seed_interactions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    English,
    Russian,
    Persian,
}

/// (native spelling, Latin spelling for email addresses)
type Name = (&'static str, &'static str);

const EN_FIRST: &[Name] = &[
    ("James", "james"),
    ("Olivia", "olivia"),
    ("William", "william"),
    ("Emma", "emma"),
    ("Henry", "henry"),
    ("Charlotte", "charlotte"),
    ("George", "george"),
    ("Amelia", "amelia"),
    ("Thomas", "thomas"),
    ("Grace", "grace"),
    ("Edward", "edward"),
    ("Lucy", "lucy"),
    ("Daniel", "daniel"),
    ("Sophie", "sophie"),
    ("Samuel", "samuel"),
];
const EN_LAST: &[Name] = &[
    ("Smith", "smith"),
    ("Johnson", "johnson"),
    ("Brown", "brown"),
    ("Taylor", "taylor"),
    ("Wilson", "wilson"),
    ("Davies", "davies"),
    ("Evans", "evans"),
    ("Thompson", "thompson"),
    ("Walker", "walker"),
    ("Wright", "wright"),
    ("Robinson", "robinson"),
    ("Hughes", "hughes"),
    ("Clarke", "clarke"),
    ("Turner", "turner"),
    ("Harris", "harris"),
];
const EN_ORG_WORDS: &[Name] = &[
    ("Northwind", "northwind"),
    ("Bluebell", "bluebell"),
    ("Harbour", "harbour"),
    ("Summit", "summit"),
    ("Oakridge", "oakridge"),
    ("Silverline", "silverline"),
    ("Greenfield", "greenfield"),
    ("Redstone", "redstone"),
    ("Brightwater", "brightwater"),
    ("Kingsway", "kingsway"),
    ("Meridian", "meridian"),
    ("Crescent", "crescent"),
];
const EN_ORG_TAILS: &[&str] =
    &["Ltd", "Logistics Ltd", "Engineering", "Foods plc", "Systems", "Trading Co", "Consulting", "Group"];

const RU_FIRST: &[Name] = &[
    ("Иван", "ivan"),
    ("Ольга", "olga"),
    ("Алексей", "aleksey"),
    ("Мария", "maria"),
    ("Дмитрий", "dmitry"),
    ("Анна", "anna"),
    ("Сергей", "sergey"),
    ("Елена", "elena"),
    ("Николай", "nikolay"),
    ("Татьяна", "tatyana"),
    ("Фёдор", "fedor"),
    ("Наталья", "natalya"),
    ("Михаил", "mikhail"),
    ("Юлия", "yulia"),
    ("Павел", "pavel"),
];
const RU_LAST: &[Name] = &[
    ("Петров", "petrov"),
    ("Иванов", "ivanov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Соколов", "sokolov"),
    ("Попов", "popov"),
    ("Лебедев", "lebedev"),
    ("Козлов", "kozlov"),
    ("Новиков", "novikov"),
    ("Морозов", "morozov"),
    ("Волков", "volkov"),
    ("Соловьёв", "solovyov"),
    ("Васильев", "vasilyev"),
    ("Зайцев", "zaytsev"),
    ("Павлов", "pavlov"),
];
const RU_ORG_WORDS: &[Name] = &[
    ("Ромашка", "romashka"),
    ("Вектор", "vektor"),
    ("Северсталь-Сервис", "severstal-servis"),
    ("Гранит", "granit"),
    ("Волга", "volga"),
    ("Техноком", "tekhnokom"),
    ("Сибирь", "sibir"),
    ("Альфа-Строй", "alfa-stroy"),
    ("Меридиан", "meridian"),
    ("Уралмаш-Поставка", "uralmash-postavka"),
    ("Берёзка", "berezka"),
    ("Квант", "kvant"),
];
const RU_ORG_FORMS: &[&str] = &["ООО", "АО", "ПАО", "ИП"];

const FA_FIRST: &[Name] = &[
    ("علی", "ali"),
    ("زهرا", "zahra"),
    ("محمد", "mohammad"),
    ("فاطمه", "fatemeh"),
    ("حسین", "hossein"),
    ("مریم", "maryam"),
    ("رضا", "reza"),
    ("سارا", "sara"),
    ("مهدی", "mahdi"),
    ("نرگس", "narges"),
    ("امیر", "amir"),
    ("لیلا", "leila"),
    ("کاوه", "kaveh"),
    ("شیرین", "shirin"),
    ("بهرام", "bahram"),
];
const FA_LAST: &[Name] = &[
    ("محمدی", "mohammadi"),
    ("حسینی", "hosseini"),
    ("کریمی", "karimi"),
    ("رضایی", "rezaei"),
    ("موسوی", "mousavi"),
    ("احمدی", "ahmadi"),
    ("جعفری", "jafari"),
    ("صادقی", "sadeghi"),
    ("رحیمی", "rahimi"),
    ("کاظمی", "kazemi"),
    ("نوری", "nouri"),
    ("تهرانی", "tehrani"),
    ("شریفی", "sharifi"),
    ("اکبری", "akbari"),
    ("قاسمی", "ghasemi"),
];
const FA_ORG_WORDS: &[Name] = &[
    ("پارس", "pars"),
    ("آریا", "arya"),
    ("سپهر", "sepehr"),
    ("البرز", "alborz"),
    ("نوین", "novin"),
    ("کیمیا", "kimia"),
    ("فراز", "faraz"),
    ("ایده‌پرداز", "ideh-pardaz"),
    ("دماوند", "damavand"),
    ("پیشگامان", "pishgaman"),
    ("سامان", "saman"),
    ("مهرگان", "mehregan"),
];
const FA_ORG_TAILS: &[&str] = &["بازرگانی", "صنعتی", "مهندسی", "فناوری", "پخش", "تولیدی"];

const ROLES: &[&str] = &["Director", "Chief accountant", "Procurement manager", "Quality manager", "Engineer", "Sales"];
const RU_ROLES: &[&str] = &["Генеральный директор", "Главный бухгалтер", "Менеджер по закупкам", "Инженер по качеству"];
const FA_ROLES: &[&str] = &["مدیرعامل", "حسابدار ارشد", "مدیر خرید", "کارشناس کیفیت"];

/// Makes realistic customers from a seed.
pub struct Generator {
    rng: ChaCha8Rng,
    organisations: u64,
    contacts: u64,
}

impl Generator {
    pub fn new(seed: u64) -> Self {
        Self { rng: ChaCha8Rng::seed_from_u64(seed), organisations: 0, contacts: 0 }
    }

    fn locale(&mut self) -> Locale {
        match self.rng.random_range(0..3) {
            0 => Locale::English,
            1 => Locale::Russian,
            _ => Locale::Persian,
        }
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        *list.choose(&mut self.rng).unwrap_or(&list[0])
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.rng.random_range(0..10u8))).collect()
    }

    /// A valid mobile number of the locale's country, in its usual written form.
    fn phone(&mut self, locale: Locale) -> String {
        match locale {
            Locale::Russian => format!(
                "+7 9{} {}-{}-{}",
                self.rng.random_range(10..40),
                self.digits(3),
                self.digits(2),
                self.digits(2)
            ),
            Locale::Persian => format!("+98 91{} {} {}", self.rng.random_range(0..10), self.digits(3), self.digits(4)),
            Locale::English => format!("+44 77{}{} {}", self.rng.random_range(1..8), self.digits(1), self.digits(6)),
        }
    }

    pub fn organisation(&mut self) -> CreateOrganisationInput {
        self.organisations += 1;
        let n = self.organisations;
        let locale = self.locale();
        let (name, slug, country, city, tax_id) = match locale {
            Locale::English => {
                let (word, latin) = self.pick(EN_ORG_WORDS);
                let (last, _) = self.pick(EN_LAST);
                let tail = self.pick(EN_ORG_TAILS);
                (
                    format!("{word} {last} {tail}"),
                    latin,
                    "GB",
                    self.pick(&["London", "Leeds", "Bristol", "Glasgow"]),
                    format!("GB{}", self.digits(9)),
                )
            }
            Locale::Russian => {
                let form = self.pick(RU_ORG_FORMS);
                let (word, latin) = self.pick(RU_ORG_WORDS);
                (
                    format!("{form} «{word}»"),
                    latin,
                    "RU",
                    self.pick(&["Москва", "Казань", "Новосибирск", "Екатеринбург"]),
                    self.digits(10),
                )
            }
            Locale::Persian => {
                let (word, latin) = self.pick(FA_ORG_WORDS);
                let tail = self.pick(FA_ORG_TAILS);
                (
                    format!("شرکت {tail} {word}"),
                    latin,
                    "IR",
                    self.pick(&["تهران", "اصفهان", "شیراز", "تبریز"]),
                    self.digits(11),
                )
            }
        };
        let kind = match self.rng.random_range(0..10) {
            0 => OrganisationKind::Supplier,
            1 => OrganisationKind::Partner,
            2 | 3 => OrganisationKind::Prospect,
            _ => OrganisationKind::Customer,
        };
        CreateOrganisationInput {
            name,
            kind: Some(kind),
            tax_id: Some(tax_id),
            email: Some(format!("info{n}@{slug}.example.com")),
            phone: Some(self.phone(locale)),
            country: Some(country.to_owned()),
            city: Some(city.to_owned()),
            ..Default::default()
        }
    }

    pub fn contact(&mut self, organisation_id: Option<Uuid>) -> CreateContactInput {
        self.contacts += 1;
        let n = self.contacts;
        let locale = self.locale();
        let (first, last, role) = match locale {
            Locale::English => (self.pick(EN_FIRST), self.pick(EN_LAST), self.pick(ROLES)),
            Locale::Russian => (self.pick(RU_FIRST), self.pick(RU_LAST), self.pick(RU_ROLES)),
            Locale::Persian => (self.pick(FA_FIRST), self.pick(FA_LAST), self.pick(FA_ROLES)),
        };
        CreateContactInput {
            first_name: first.0.to_owned(),
            last_name: Some(last.0.to_owned()),
            organisation_id,
            role: Some(role.to_owned()),
            email: Some(format!("{}.{}{n}@mail.example.com", first.1, last.1)),
            phone: Some(self.phone(locale)),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SeedReport {
    pub organisations: usize,
    pub contacts: usize,
    pub seconds: f64,
}

/// Loads `organisations` organisations and `contacts` contacts (spread over them) through the
/// door in batches of 1,000, each batch one transaction with its change log.
pub async fn seed_customers(
    door: &Door,
    actor: &Actor,
    seed: u64,
    organisations: usize,
    contacts: usize,
) -> Result<SeedReport, ApiError> {
    let started = std::time::Instant::now();
    let mut generator = Generator::new(seed);
    let mut organisation_ids = Vec::with_capacity(organisations);
    let mut remaining = organisations;
    while remaining > 0 {
        let batch = remaining.min(MAX_IMPORT_BATCH);
        let items = (0..batch).map(|_| generator.organisation()).collect();
        organisation_ids.extend(door.call::<ImportOrganisations>(actor, ImportOrganisationsInput { items }).await?.ids);
        remaining -= batch;
    }
    let mut remaining = contacts;
    let mut next_org = 0usize;
    while remaining > 0 {
        let batch = remaining.min(MAX_IMPORT_BATCH);
        let items = (0..batch)
            .map(|_| {
                let org = organisation_ids.get(next_org % organisation_ids.len().max(1)).copied();
                next_org += 1;
                generator.contact(org)
            })
            .collect();
        door.call::<ImportContacts>(actor, ImportContactsInput { items }).await?;
        remaining -= batch;
    }
    Ok(SeedReport { organisations, contacts, seconds: started.elapsed().as_secs_f64() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_generates_the_same_customers() {
        let (mut a, mut b) = (Generator::new(7), Generator::new(7));
        for _ in 0..50 {
            let (x, y) = (a.organisation(), b.organisation());
            assert_eq!((x.name, x.email, x.phone, x.tax_id), (y.name, y.email, y.phone, y.tax_id));
        }
    }

    #[test]
    fn generated_phones_and_emails_pass_validation() {
        let mut generator = Generator::new(1);
        for _ in 0..3000 {
            let org = generator.organisation();
            let mut errors = crate::error::FieldErrors::default();
            crate::validate::optional_phone(&mut errors, "phone", org.phone.as_deref(), None);
            crate::validate::optional_email(&mut errors, "email", org.email.as_deref());
            assert!(errors.is_empty(), "{:?} {:?}: {errors:?}", org.phone, org.email);
        }
    }
}
