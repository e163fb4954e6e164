//! `accord bench data`'s duplicate scan: `duplicates.find` over many generated contacts, among
//! which pairs were planted the way duplicates arise — the same email typed in other letters'
//! case, the same phone written another way, the same person in one organisation with a slip
//! in the name. Reports the scan's time (median of the runs), the process's peak memory and
//! how many planted pairs were found. The segment benchmark runs on the same contacts after it.

use std::collections::HashSet;
use std::time::Instant;

use accord_core::customers::contacts::{CreateContactInput, ImportContacts, ImportContactsInput};
use accord_core::customers::organisations::{CreateOrganisationInput, ImportOrganisations, ImportOrganisationsInput};
use accord_core::duplicates::{FindDuplicates, FindDuplicatesInput};
use accord_core::seed::{Generator, seed_customers};
use accord_core::{Actor, ApiError, Door};
use uuid::Uuid;

use super::sync::{peak_memory_mib, reset_peak_memory};

/// Planted pairs of each way of arising: 750 in all, so with the generator's own coincidences
/// every pair found fits in the 1,000 a scan shows.
const PLANTED_EACH: usize = 250;

pub async fn bench_scan(label: &str, url: &str, contacts: usize, runs: usize) -> Result<serde_json::Value, ApiError> {
    let door = Door::open(url, Uuid::now_v7()).await?;
    let owner = Actor::local_owner();
    let planted_rows = PLANTED_EACH * 3 * 2;
    let background = contacts.saturating_sub(planted_rows);
    eprintln!("{label}: loading {background} contacts and {} planted pairs…", PLANTED_EACH * 3);
    let loaded = Instant::now();
    seed_customers(&door, &owner, 42, (background / 10).max(1), background).await?;
    let planted = plant(&door, &owner).await?;
    eprintln!("  loaded in {:.1} s", loaded.elapsed().as_secs_f64());
    let mut seconds = Vec::new();
    let mut peaks = Vec::new();
    let mut recall = Vec::new();
    let mut resident_before = 0.0;
    for _ in 0..runs {
        reset_peak_memory();
        // Right after a reset the peak is what the process holds now: the scan's own growth is
        // the difference.
        resident_before = peak_memory_mib();
        let started = Instant::now();
        let scan = door
            .call::<FindDuplicates>(&owner, FindDuplicatesInput { table: "contacts".into(), most: Some(1000) })
            .await?;
        seconds.push(started.elapsed().as_secs_f64());
        peaks.push(peak_memory_mib());
        let found: HashSet<(Uuid, Uuid)> = scan.pairs.iter().map(|p| (p.first, p.second)).collect();
        let hits: Vec<usize> =
            planted.iter().map(|kind| kind.iter().filter(|pair| found.contains(pair)).count()).collect();
        eprintln!(
            "  scan of {} contacts: {:.2} s, {} pairs found ({} shown), planted found {hits:?} of {PLANTED_EACH} each, \
             {} values too common, peak {:.0} MiB (from {resident_before:.0} MiB before the scan)",
            scan.scanned,
            seconds[seconds.len() - 1],
            scan.found,
            scan.pairs.len(),
            scan.common_values,
            peaks[peaks.len() - 1]
        );
        recall = hits;
    }
    seconds.sort_by(f64::total_cmp);
    peaks.sort_by(f64::total_cmp);
    let segment = super::segments::bench_segment(&door, runs.max(1) * 100).await?;
    Ok(serde_json::json!({
        "segment": segment,
        "engine": label,
        "contacts": contacts,
        "scan_s_median": seconds[seconds.len() / 2],
        "scan_s_all": seconds,
        "peak_mib_median": peaks[peaks.len() / 2],
        "resident_before_scan_mib": resident_before,
        "planted_found": {"same_email": recall[0], "same_phone": recall[1], "name_slip_same_organisation": recall[2], "of_each": PLANTED_EACH},
    }))
}

/// Inserts the planted pairs; returns them, by way of arising, each as (older, newer) ids.
async fn plant(door: &Door, owner: &Actor) -> Result<[Vec<(Uuid, Uuid)>; 3], ApiError> {
    let mut generator = Generator::new(7);
    let organisations: Vec<CreateOrganisationInput> = (0..PLANTED_EACH).map(|_| generator.organisation()).collect();
    let organisation_ids =
        door.call::<ImportOrganisations>(owner, ImportOrganisationsInput { items: organisations }).await?.ids;
    let mut planted: [Vec<(Uuid, Uuid)>; 3] = Default::default();
    for (way, pairs) in planted.iter_mut().enumerate() {
        let mut originals = Vec::new();
        let mut copies = Vec::new();
        for (i, organisation_id) in organisation_ids.iter().enumerate() {
            let original = generator.contact((way == 2).then_some(*organisation_id));
            let copy = copy_of(&original, way, &mut generator);
            originals.push(rare_name(original, i));
            copies.push(rare_name(copy, i));
        }
        let first = door.call::<ImportContacts>(owner, ImportContactsInput { items: originals }).await?.ids;
        let second = door.call::<ImportContacts>(owner, ImportContactsInput { items: copies }).await?.ids;
        pairs.extend(first.into_iter().zip(second));
    }
    Ok(planted)
}

/// The same person entered again, as duplicates arise.
fn copy_of(original: &CreateContactInput, way: usize, generator: &mut Generator) -> CreateContactInput {
    let other = generator.contact(original.organisation_id);
    match way {
        // Another person's name and phone, the same email in capitals.
        0 => CreateContactInput { email: original.email.as_ref().map(|e| e.to_uppercase()), ..other },
        // The same phone without its spaces, another email.
        1 => CreateContactInput { phone: original.phone.as_ref().map(|p| p.replace([' ', '-'], "")), ..other },
        // The same name with its last letter doubled, in the same organisation, nothing else.
        _ => CreateContactInput {
            first_name: original.first_name.clone(),
            last_name: original.last_name.as_ref().map(|l| format!("{l}{}", l.chars().last().unwrap_or('a'))),
            email: None,
            phone: None,
            ..other
        },
    }
}

/// Generated names repeat (15 × 15 per language); a double-barrelled one made from the pair's
/// number is as rare as a real person's, so the name pair is not lost among common names.
fn rare_name(mut contact: CreateContactInput, n: usize) -> CreateContactInput {
    const SYLLABLES: [&str; 10] = ["ka", "lo", "mi", "ne", "ro", "sa", "tu", "va", "ze", "di"];
    let tag: String = format!("{n:04}").chars().map(|d| SYLLABLES[d.to_digit(10).unwrap_or(0) as usize]).collect();
    contact.first_name = format!("{} {tag}", contact.first_name);
    contact
}
