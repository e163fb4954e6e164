//! Interactions and scheduled contacts at scale for `accord bench interactions`: a few
//! hundred employees' histories over three years and their planned calls, once and weekly,
//! in Moscow, Tehran and London. Deterministic from the seed; written in bulk through the
//! record machinery (change log and search documents included), batch by batch.

use accord_interactions::interactions::{self as logged, Channel};
use accord_interactions::schedule::{self, recurrence::Recurrence};
use accord_interactions::topics::{DefineTopic, DefineTopicInput};
use accord_kernel::operation::{Scope, Step};
use accord_kernel::records::{self, Record};
use accord_kernel::security::{Ownership, Permission};
use chrono::{DateTime, Duration, Utc};
use futures::future::BoxFuture;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::QuerySelect;
use uuid::Uuid;

use crate::customers::contacts;
use crate::door::Door;
use crate::error::ApiError;
use crate::security::Actor;

const TOPICS: &[&str] = &[
    "Delivery dates",
    "Invoice question",
    "New order",
    "Complaint",
    "Price request",
    "Contract renewal",
    "Сроки поставки",
    "Счёт на оплату",
    "Новый заказ",
    "Рекламация",
    "پیگیری سفارش",
    "درخواست قیمت",
];

const SUMMARIES: &[&str] = &[
    "Discussed the delivery schedule for the next quarter",
    "Customer asked for a corrected invoice",
    "Agreed on a trial order of 200 units",
    "Обсудили условия оплаты и скидку за объём",
    "Клиент сообщил о задержке поставки, обещали перезвонить",
    "Согласовали дату встречи на складе",
    "درباره زمان تحویل سفارش بعدی صحبت شد",
    "مشتری درخواست پیش‌فاکتور جدید داشت",
    "قرار بازدید از کارخانه هماهنگ شد",
];

const ZONES: &[&str] = &["Europe/Moscow", "Asia/Tehran", "Europe/London"];
const WEEKDAYS: &[&str] = &["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const CHANNELS: &[Channel] =
    &[Channel::Phone, Channel::Phone, Channel::Phone, Channel::Email, Channel::Meeting, Channel::Chat, Channel::Visit];

/// Rows written per transaction.
const BATCH: usize = 1_000;

#[derive(Debug, Clone, serde::Serialize)]
pub struct InteractionsReport {
    pub interactions: usize,
    pub scheduled: usize,
    pub employees: Vec<Uuid>,
    pub seconds: f64,
}

/// Loads `interactions` interactions and `scheduled` scheduled contacts with the contacts
/// already there (`accord seed` or `seed_customers` first), spread over `employees` people.
pub async fn seed_interactions(
    door: &Door,
    actor: &Actor,
    seed: u64,
    interactions: usize,
    scheduled: usize,
    employees: usize,
) -> Result<InteractionsReport, ApiError> {
    let started = std::time::Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut topics = Vec::new();
    for name in TOPICS {
        topics.push(door.call::<DefineTopic>(actor, DefineTopicInput { name: (*name).into() }).await?.id);
    }
    let people: Vec<(Uuid, Option<Uuid>)> = door.step(actor, &mut ContactIds).await?;
    if people.is_empty() {
        return Err(ApiError::internal("seed contacts first: interactions are with them"));
    }
    let staff: Vec<Uuid> = (0..employees.max(1)).map(|_| Uuid::from_u128(rng.random())).collect();
    let now = Utc::now();
    let mut left = interactions;
    while left > 0 {
        let batch = (0..left.min(BATCH)).map(|_| interaction(&mut rng, &people, &topics, &staff, now)).collect();
        door.step(actor, &mut Insert::<logged::Model>(batch)).await?;
        left -= left.min(BATCH);
    }
    let mut left = scheduled;
    while left > 0 {
        let mut batch = Vec::with_capacity(left.min(BATCH));
        for _ in 0..left.min(BATCH) {
            batch.push(planned(&mut rng, &people, &topics, &staff, now)?);
        }
        door.step(actor, &mut Insert::<schedule::Model>(batch)).await?;
        left -= left.min(BATCH);
    }
    Ok(InteractionsReport { interactions, scheduled, employees: staff, seconds: started.elapsed().as_secs_f64() })
}

fn interaction(
    rng: &mut ChaCha8Rng,
    people: &[(Uuid, Option<Uuid>)],
    topics: &[Uuid],
    staff: &[Uuid],
    now: DateTime<Utc>,
) -> logged::Model {
    let (contact, organisation) = *people.choose(rng).unwrap_or(&people[0]);
    let responsible = *staff.choose(rng).unwrap_or(&staff[0]);
    let channel = *CHANNELS.choose(rng).unwrap_or(&Channel::Phone);
    let at = now - Duration::seconds(rng.random_range(0..3 * 365 * 24 * 3600));
    logged::Model {
        id: Uuid::now_v7(),
        topic_id: *topics.choose(rng).unwrap_or(&topics[0]),
        happened_at: at,
        channel,
        form: channel.usual_form(),
        contact_id: Some(contact),
        organisation_id: organisation,
        responsible_id: responsible,
        summary: (*SUMMARIES.choose(rng).unwrap_or(&SUMMARIES[0])).to_owned(),
        custom: serde_json::json!({}),
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: responsible,
        updated_by: responsible,
        deleted_at: None,
        owner_id: Some(responsible),
        department_id: None,
    }
}

/// A planned contact: most once within the next two months, some weekly on a weekday, a few
/// daily for twenty working days; between 09:00 and 17:30 in one of three zones.
fn planned(
    rng: &mut ChaCha8Rng,
    people: &[(Uuid, Option<Uuid>)],
    topics: &[Uuid],
    staff: &[Uuid],
    now: DateTime<Utc>,
) -> Result<schedule::Model, ApiError> {
    let (contact, organisation) = *people.choose(rng).unwrap_or(&people[0]);
    let responsible = *staff.choose(rng).unwrap_or(&staff[0]);
    let zone = *ZONES.choose(rng).unwrap_or(&ZONES[0]);
    let day = (now + Duration::days(rng.random_range(-30..60))).date_naive();
    let local = day.and_hms_opt(rng.random_range(9..18), *[0, 30].choose(rng).unwrap_or(&0), 0).unwrap_or_default();
    let zone_tz = schedule::recurrence::zone(zone).map_err(|p| ApiError::internal(format!("{p:?}")))?;
    let starts_at = schedule::recurrence::instant(zone_tz, local).unwrap_or(now);
    let recurrence = match rng.random_range(0..10) {
        0..=2 => Some(format!("FREQ=WEEKLY;BYDAY={}", WEEKDAYS[rng.random_range(0..5)])),
        3 => Some("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20".to_owned()),
        _ => None,
    };
    let series = Recurrence::new(zone, starts_at, recurrence.as_deref(), &[])
        .map_err(|p| ApiError::internal(format!("{p:?}")))?;
    let mut model = schedule::Model {
        id: Uuid::now_v7(),
        topic_id: *topics.choose(rng).unwrap_or(&topics[0]),
        channel: Channel::Phone,
        contact_id: Some(contact),
        organisation_id: organisation,
        responsible_id: responsible,
        note: None,
        starts_at,
        time_zone: zone.to_owned(),
        duration_minutes: 30,
        recurrence,
        exceptions: serde_json::json!([]),
        ends_at: None,
        lead_minutes: 15,
        due_at: None,
        remind_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: responsible,
        updated_by: responsible,
        deleted_at: None,
        owner_id: Some(responsible),
        department_id: None,
    };
    model.begin(&series, now);
    Ok(model)
}

/// Every active contact's id and organisation.
struct ContactIds;

impl Step for ContactIds {
    const NAME: &'static str = "seed.contact_ids";
    const PERMISSION: Permission = crate::customers::permissions::READ;
    const WRITES: bool = false;
    type Output = Vec<(Uuid, Option<Uuid>)>;

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<Self::Output, ApiError>> {
        Box::pin(async move {
            Ok(records::find::<contacts::Model>(scope)
                .select_only()
                .columns([contacts::Column::Id, contacts::Column::OrganisationId])
                .into_tuple()
                .all(scope.tx)
                .await?)
        })
    }
}

/// Writes ready records of one kind, each with its owner as generated.
struct Insert<R>(Vec<R>);

impl<R: Record + Send> Step for Insert<R>
where
    <R::Entity as sea_orm::EntityTrait>::ActiveModel: Send,
{
    const NAME: &'static str = "seed.insert";
    const PERMISSION: Permission = accord_interactions::permissions::WRITE;
    const WRITES: bool = true;
    type Output = ();

    fn run<'s>(&'s mut self, scope: &'s mut Scope<'_>) -> BoxFuture<'s, Result<(), ApiError>> {
        Box::pin(async move {
            debug_assert!(self.0.iter().all(|r| r.ownership() != Ownership::default()), "owned as generated");
            records::insert(scope, &mut self.0).await
        })
    }
}
