//! The contacts contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{StoreError, Stores, millis_precision};
use app::contacts::model::ContactSort;

pub(crate) fn contact(org: &str, id: &str, name: &str, phone: Option<&str>) -> ContactRecord {
    let now = millis_precision(OffsetDateTime::now_utc());
    ContactRecord {
        id: id.into(),
        org_id: OrgId::new(org),
        display_name: name.into(),
        first_name: String::new(),
        last_name: String::new(),
        phone: phone.map(String::from),
        wa_id: phone.map(|p| p.trim_start_matches('+').to_owned()),
        email: None,
        tags: vec![],
        attributes: BTreeMap::new(),
        opt_out_at: None,
        opt_out_source: None,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

fn names(list: &[ContactRecord]) -> Vec<&str> {
    list.iter().map(|c| c.display_name.as_str()).collect()
}

pub async fn a_phone_is_unique_within_an_organisation_only(s: Stores) {
    let org = OrgId::new("o1");
    let mut ana = contact("o1", "c1", "Ana", Some("+5511987654321"));
    ana.tags = vec!["lead".into(), "vip".into()];
    ana.attributes.insert("city".into(), "São Paulo".into());
    ana.email = Some("ana@tienda.mx".into());
    s.contacts.insert_contact(&ana).await.unwrap();
    let clash = contact("o1", "c2", "Ana again", Some("+5511987654321"));
    assert!(matches!(s.contacts.insert_contact(&clash).await, Err(StoreError::Duplicate)));
    s.contacts.insert_contact(&contact("o2", "c3", "Ana elsewhere", Some("+5511987654321"))).await.unwrap();
    s.contacts.insert_contact(&contact("o1", "c4", "No phone", None)).await.unwrap();
    s.contacts.insert_contact(&contact("o1", "c5", "No phone either", None)).await.unwrap();
    assert_eq!(s.contacts.contact(&org, "c1").await.unwrap(), Some(ana.clone()), "read back whole");
    assert_eq!(s.contacts.contact(&org, "c3").await.unwrap(), None, "another organisation's id");
    let mut moved = contact("o1", "c4", "No phone", Some("+5511987654321"));
    moved.created_at = ana.created_at;
    assert!(matches!(s.contacts.update_contact(&moved).await, Err(StoreError::Duplicate)));
    assert!(!s.contacts.update_contact(&contact("o2", "c1", "Hijack", None)).await.unwrap(), "scoped");
    assert_eq!(s.contacts.count_contacts(&org).await.unwrap(), 3);
}

pub async fn lists_page_by_keyset_in_both_orders_with_search_and_tags(s: Stores) {
    let org = OrgId::new("o1");
    let base = millis_precision(OffsetDateTime::now_utc());
    for (i, name) in ["carla", "Ana", "beto", "Diego", "ana"].iter().enumerate() {
        let mut c = contact("o1", &format!("c{i}"), name, Some(&format!("+3461234567{i}")));
        c.updated_at = base + secs(i as i64 % 3);
        c.tags = if i % 2 == 0 { vec!["vip".into()] } else { vec![] };
        s.contacts.insert_contact(&c).await.unwrap();
    }
    let by_name = ContactFilter::default();
    let first = s.contacts.list_contacts(&org, &by_name, None, 2).await.unwrap();
    assert_eq!(names(&first), ["Ana", "ana"], "case-insensitive, ties by id");
    let cursor = first.last().unwrap().cursor(ContactSort::Name);
    let rest = s.contacts.list_contacts(&org, &by_name, Some(&cursor), 10).await.unwrap();
    assert_eq!(names(&rest), ["beto", "carla", "Diego"]);
    let recent = ContactFilter { sort: ContactSort::Recent, ..Default::default() };
    let all: Vec<String> = {
        let mut seen = vec![];
        let mut after = None;
        loop {
            let page = s.contacts.list_contacts(&org, &recent, after.as_ref(), 2).await.unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.cursor(ContactSort::Recent));
            seen.extend(page.iter().map(|c| c.id.clone()));
        }
        seen
    };
    assert_eq!(all, ["c2", "c4", "c1", "c3", "c0"], "newest first, ties by id descending, each once");
    let search = |text: &str| ContactFilter { search: text.into(), ..Default::default() };
    assert_eq!(names(&s.contacts.list_contacts(&org, &search("an"), None, 10).await.unwrap()), ["Ana", "ana"]);
    assert_eq!(names(&s.contacts.list_contacts(&org, &search("345672"), None, 10).await.unwrap()), ["beto"]);
    assert!(s.contacts.list_contacts(&org, &search("%"), None, 10).await.unwrap().is_empty(), "% is literal");
    let vip = ContactFilter { tag: Some("vip".into()), ..Default::default() };
    assert_eq!(names(&s.contacts.list_contacts(&org, &vip, None, 10).await.unwrap()), ["ana", "beto", "carla"]);
    assert!(s.contacts.list_contacts(&OrgId::new("o2"), &by_name, None, 10).await.unwrap().is_empty());
}

pub async fn soft_deletion_hides_restores_and_stays_in_the_organisation(s: Stores) {
    let org = OrgId::new("o1");
    let now = millis_precision(OffsetDateTime::now_utc());
    for id in ["c1", "c2"] {
        s.contacts.insert_contact(&contact("o1", id, id, None)).await.unwrap();
    }
    let ids = vec!["c1".to_owned(), "c2".to_owned()];
    assert_eq!(s.contacts.set_contacts_deleted(&OrgId::new("o2"), &ids, Some(now), now).await.unwrap(), 0);
    assert_eq!(s.contacts.set_contacts_deleted(&org, &ids[..1], Some(now), now).await.unwrap(), 1);
    assert_eq!(s.contacts.count_contacts(&org).await.unwrap(), 1);
    let listed = s.contacts.list_contacts(&org, &ContactFilter::default(), None, 10).await.unwrap();
    assert_eq!(names(&listed), ["c2"]);
    assert_eq!(s.contacts.contact(&org, "c1").await.unwrap().unwrap().deleted_at, Some(now), "still readable");
    assert_eq!(s.contacts.set_contacts_deleted(&org, &ids, None, now).await.unwrap(), 1, "undo restores c1 only");
    assert_eq!(s.contacts.count_contacts(&org).await.unwrap(), 2);
    // Read by id, several at once, only within the organisation.
    let mut asked = ids.clone();
    asked.push("missing".into());
    let mut found = s.contacts.contacts_by_id(&org, &asked).await.unwrap();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(names(&found), ["c1", "c2"]);
    assert!(s.contacts.contacts_by_id(&OrgId::new("o2"), &ids).await.unwrap().is_empty());
    assert!(s.contacts.contacts_by_id(&org, &[]).await.unwrap().is_empty());
}

pub async fn tags_are_added_and_removed_in_bulk_as_a_sorted_set(s: Stores) {
    let org = OrgId::new("o1");
    let now = millis_precision(OffsetDateTime::now_utc());
    let mut c1 = contact("o1", "c1", "c1", None);
    c1.tags = vec!["a".into(), "z".into()];
    s.contacts.insert_contact(&c1).await.unwrap();
    s.contacts.insert_contact(&contact("o1", "c2", "c2", None)).await.unwrap();
    let ids = vec!["c1".to_owned(), "c2".to_owned(), "missing".to_owned()];
    assert_eq!(s.contacts.tag_contacts(&org, &ids, "m", true, now).await.unwrap(), 2);
    assert_eq!(s.contacts.tag_contacts(&org, &ids, "m", true, now).await.unwrap(), 0, "already there");
    assert_eq!(s.contacts.contact(&org, "c1").await.unwrap().unwrap().tags, ["a", "m", "z"]);
    assert_eq!(s.contacts.tag_contacts(&org, &ids, "a", false, now).await.unwrap(), 1);
    assert_eq!(s.contacts.contact(&org, "c1").await.unwrap().unwrap().tags, ["m", "z"]);
    assert_eq!(s.contacts.tag_contacts(&OrgId::new("o2"), &ids, "x", true, now).await.unwrap(), 0);
}

pub async fn an_import_batch_is_written_and_matched_by_phone_or_email(s: Stores) {
    let org = OrgId::new("o1");
    let mut known = contact("o1", "c1", "Known", Some("+34612345670"));
    known.email = Some("known@x.es".into());
    s.contacts.insert_contact(&known).await.unwrap();
    let inserts: Vec<ContactRecord> =
        (0..2500).map(|i| contact("o1", &format!("n{i}"), &format!("New {i}"), Some(&format!("+1415555{i:04}")))).collect();
    let mut update = known.clone();
    update.display_name = "Known, updated".into();
    s.contacts.write_contacts(&inserts, &[update]).await.unwrap();
    assert_eq!(s.contacts.count_contacts(&org).await.unwrap(), 2501);
    let phones = vec!["+34612345670".to_owned(), "+14155550007".to_owned(), "+19999999999".to_owned()];
    let found = s.contacts.contacts_matching(&org, &phones, &["known@x.es".to_owned()]).await.unwrap();
    let mut ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["c1", "n7"]);
    assert_eq!(found.iter().find(|c| c.id == "c1").unwrap().display_name, "Known, updated");
    assert!(s.contacts.contacts_matching(&OrgId::new("o2"), &phones, &[]).await.unwrap().is_empty());
    let clash = vec![contact("o1", "dup", "Dup", Some("+14155550001"))];
    assert!(matches!(s.contacts.write_contacts(&clash, &[]).await, Err(StoreError::Duplicate)));
}

pub async fn the_default_country_is_set_per_organisation(s: Stores) {
    let org = OrgId::new("o1");
    assert_eq!(s.contacts.default_country(&org).await.unwrap(), None);
    s.contacts.set_default_country(&org, "MX").await.unwrap();
    s.contacts.set_default_country(&org, "BR").await.unwrap();
    assert_eq!(s.contacts.default_country(&org).await.unwrap().as_deref(), Some("BR"));
    assert_eq!(s.contacts.default_country(&OrgId::new("o2")).await.unwrap(), None);
}

pub(crate) fn import_record(org: &str, id: &str) -> ImportRecord {
    use app::contacts::import::{ColumnTarget, ImportCounts, ImportMode, ImportStatus};
    ImportRecord {
        id: id.into(),
        org_id: OrgId::new(org),
        user_id: app::ids::UserId::new("u1"),
        file_name: "clientes.csv".into(),
        stored_as: format!("{id}.csv"),
        size: 1234,
        encoding: "utf-8".into(),
        delimiter: ";".into(),
        headers: vec!["Nombre".into(), "Celular".into()],
        preview: vec![vec!["Ana".into(), "55 1234 5678".into()]],
        mapping: vec![ColumnTarget::DisplayName, ColumnTarget::Phone],
        mode: ImportMode::CreateAndUpdate,
        tags: vec![],
        default_country: "MX".into(),
        status: ImportStatus::Uploaded,
        total_rows: None,
        counts: ImportCounts::default(),
        error: None,
        created_at: millis_precision(OffsetDateTime::now_utc()),
        finished_at: None,
    }
}

pub async fn an_import_is_planned_once_and_its_batches_land_with_their_progress(s: Stores) {
    use app::contacts::import::{ColumnTarget, ImportCounts, ImportMode, ImportStatus};
    let org = OrgId::new("o1");
    let record = import_record("o1", "i1");
    s.contacts.insert_import(&record).await.unwrap();
    assert_eq!(s.contacts.import(&org, "i1").await.unwrap(), Some(record.clone()));
    assert_eq!(s.contacts.import(&OrgId::new("o2"), "i1").await.unwrap(), None);
    let plan = ImportPlan {
        mapping: vec![ColumnTarget::Attribute("Nombre".into()), ColumnTarget::Phone],
        mode: ImportMode::CreateOnly,
        tags: vec!["feria".into()],
        default_country: "ES".into(),
    };
    assert!(!s.contacts.plan_import(&OrgId::new("o2"), "i1", &plan).await.unwrap(), "another organisation");
    assert!(s.contacts.plan_import(&org, "i1", &plan).await.unwrap());
    assert!(!s.contacts.plan_import(&org, "i1", &plan).await.unwrap(), "once");
    assert!(s.contacts.move_import("i1", &[ImportStatus::Queued], ImportStatus::Running).await.unwrap());
    assert!(!s.contacts.move_import("i1", &[ImportStatus::Queued], ImportStatus::Running).await.unwrap());
    let inserts = vec![contact("o1", "c1", "Ana", Some("+525512345678"))];
    let rejects = vec![RejectRecord { import_id: "i1".into(), row: 3, reason: "error-phone-invalid".into(), cells: vec!["X".into(), "12".into()] }];
    let counts = ImportCounts { rows_done: 2, created: 1, updated: 0, unchanged: 0, rejected: 1 };
    let batch = ImportBatch { import_id: "i1", total_rows: 2, counts, inserts: &inserts, updates: &[], rejects: &rejects };
    s.contacts.write_import_batch(&batch).await.unwrap();
    let now = millis_precision(OffsetDateTime::now_utc());
    s.contacts.finish_import("i1", ImportStatus::Done, None, now).await.unwrap();
    let done = s.contacts.import(&org, "i1").await.unwrap().unwrap();
    assert_eq!((done.status, done.counts, done.total_rows, done.finished_at), (ImportStatus::Done, counts, Some(2), Some(now)));
    assert_eq!((done.mapping, done.mode, done.tags, done.default_country), (plan.mapping, plan.mode, plan.tags, plan.default_country));
    assert_eq!(s.contacts.count_contacts(&org).await.unwrap(), 1);
    assert_eq!(s.contacts.import_rejects(&org, "i1").await.unwrap(), rejects);
    assert!(s.contacts.import_rejects(&OrgId::new("o2"), "i1").await.unwrap().is_empty());
    s.contacts.insert_import(&import_record("o1", "i2")).await.unwrap();
    let listed: Vec<String> = s.contacts.imports(&org, 10).await.unwrap().into_iter().map(|i| i.id).collect();
    assert_eq!(listed.len(), 2);
}
