//! The inbox contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{Stores, millis_precision, to_millis};
use app::inbox::model::{MessageContent, MessageStatus};

fn now() -> OffsetDateTime {
    millis_precision(OffsetDateTime::now_utc())
}

pub(crate) fn conversation(org: &str, id: &str, contact: &str, at: OffsetDateTime) -> ConversationRecord {
    ConversationRecord::open(id.into(), OrgId::new(org), contact.into(), "1001".into(), at)
}

pub(crate) fn inbound(c: &ConversationRecord, wamid: &str, text: &str, at: OffsetDateTime) -> MessageRecord {
    MessageRecord {
        id: format!("m-{wamid}"),
        org_id: c.org_id.clone(),
        conversation_id: c.id.clone(),
        phone_number_id: c.phone_number_id.clone(),
        wamid: Some(wamid.into()),
        direction: Direction::In,
        content: MessageContent::Text { body: text.into() },
        context_wamid: None,
        status: MessageStatus::Received,
        error: None,
        sent_by: None,
        created_at: at,
        status_at: at,
    }
}

pub(crate) fn outbound(c: &ConversationRecord, id: &str, at: OffsetDateTime) -> MessageRecord {
    MessageRecord {
        id: id.into(),
        wamid: None,
        direction: Direction::Out,
        status: MessageStatus::Pending,
        sent_by: Some("agent-1".into()),
        ..inbound(c, id, "Hola, ¿en qué te ayudo?", at)
    }
}

pub async fn a_contact_has_one_conversation_per_number_even_when_deliveries_race(s: Stores) {
    let t = now();
    let (first, second) = (conversation("org-a", "c1", "contact-1", t), conversation("org-a", "c2", "contact-1", t));
    let (a, b) = tokio::join!(s.inbox.open_conversation(&first), s.inbox.open_conversation(&second));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id, "both deliveries land in one conversation");
    let again = s.inbox.open_conversation(&conversation("org-a", "c3", "contact-1", t)).await.unwrap();
    assert_eq!(again, s.inbox.conversation(&OrgId::new("org-a"), &a.id).await.unwrap().unwrap());
    assert_eq!(s.inbox.conversation(&OrgId::new("org-b"), &a.id).await.unwrap(), None, "another org's id");
    let other_number = ConversationRecord { phone_number_id: "2002".into(), ..conversation("org-a", "c4", "contact-1", t) };
    assert_eq!(s.inbox.open_conversation(&other_number).await.unwrap().id, "c4");
}

pub async fn a_repeated_delivery_adds_one_message_and_counts_once(s: Stores) {
    let t = now();
    let c = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    let m = inbound(&c, "wamid.A", "¿Tienen la talla 42? هل يوجد", t + secs(1));
    let referral = Referral { source_id: "ad-1".into(), source_type: "ad".into(), ctwa_clid: Some("clid".into()), headline: None };
    let tries = futures_util::future::join_all((0..5).map(|_| s.inbox.add_message(&m, Some(&referral)))).await;
    assert_eq!(tries.into_iter().filter(|added| *added.as_ref().unwrap()).count(), 1);
    let org = OrgId::new("org-a");
    assert_eq!(s.inbox.messages(&org, "c1", None, 10).await.unwrap(), vec![m.clone()]);
    assert_eq!(s.inbox.message_by_wamid("1001", "wamid.A").await.unwrap(), Some(m.clone()));
    let got = s.inbox.conversation(&org, "c1").await.unwrap().unwrap();
    assert_eq!(got.unread, 1);
    assert_eq!(got.preview, "¿Tienen la talla 42? هل يوجد");
    assert_eq!((got.last_message_at, got.last_inbound_at), (t + secs(1), Some(t + secs(1))));
    assert_eq!(got.referral, Some(referral.clone()));

    // A later ad click does not rewrite where the conversation came from; a late, older message
    // counts as unread without taking over the preview.
    let second = Referral { source_id: "ad-2".into(), ..referral.clone() };
    assert!(s.inbox.add_message(&inbound(&c, "wamid.B", "newest", t + secs(5)), Some(&second)).await.unwrap());
    assert!(s.inbox.add_message(&inbound(&c, "wamid.C", "late", t + secs(3)), None).await.unwrap());
    let got = s.inbox.conversation(&org, "c1").await.unwrap().unwrap();
    assert_eq!((got.unread, got.preview.as_str(), got.last_message_at), (3, "newest", t + secs(5)));
    assert_eq!(got.referral, Some(referral));
    // The same wamid on another number is another message.
    let elsewhere = MessageRecord { id: "m-other".into(), phone_number_id: "2002".into(), ..m };
    assert!(s.inbox.add_message(&elsewhere, None).await.unwrap());
}

pub async fn a_batch_files_each_message_into_its_contacts_conversation_once(s: Stores) {
    let t = now();
    let org = OrgId::new("org-a");
    // Contact 1 already has a conversation; contact 2 gets one from the batch.
    let existing = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    let filing = |id: &str, contact: &str, wamid: &str, text: &str, at| {
        let c = conversation("org-a", id, contact, t);
        // The message names the conversation it would open; filing points it at the real one.
        Filing { message: inbound(&c, wamid, text, at), conversation: c, referral: None }
    };
    let ad = Referral { source_id: "ad-9".into(), source_type: "ad".into(), ctwa_clid: None, headline: None };
    let batch = vec![
        filing("new-1", "contact-1", "wamid.F1", "first", t + secs(1)),
        Filing { referral: Some(ad.clone()), ..filing("new-2", "contact-2", "wamid.F2", "hello", t + secs(2)) },
        filing("new-3", "contact-2", "wamid.F3", "again", t + secs(3)),
        filing("new-4", "contact-1", "wamid.F1", "first", t + secs(1)),
    ];
    assert_eq!(s.inbox.file_messages(&batch).await.unwrap(), vec![true, true, true, false], "the repeat is not new");
    assert_eq!(s.inbox.file_messages(&batch[..1]).await.unwrap(), vec![false], "nor when delivered again");

    let first = s.inbox.conversation(&org, &existing.id).await.unwrap().unwrap();
    assert_eq!((first.unread, first.preview.as_str()), (1, "first"));
    let messages = s.inbox.messages(&org, &existing.id, None, 10).await.unwrap();
    assert_eq!(messages.iter().map(|m| m.wamid.as_deref().unwrap()).collect::<Vec<_>>(), ["wamid.F1"]);
    let second = s.inbox.conversation(&org, "new-2").await.unwrap().unwrap();
    assert_eq!((second.contact_id.as_str(), second.unread, second.preview.as_str()), ("contact-2", 2, "again"));
    assert_eq!(second.referral, Some(ad));
    assert_eq!(s.inbox.conversation(&org, "new-3").await.unwrap(), None, "one conversation per contact");
    assert_eq!(s.inbox.messages(&org, "new-2", None, 10).await.unwrap().len(), 2);
    assert_eq!(s.inbox.unread_total(&org).await.unwrap(), 3);
}

pub async fn a_customer_message_reopens_a_resolved_conversation_and_reading_clears_unread(s: Stores) {
    let t = now();
    let org = OrgId::new("org-a");
    let c = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    s.inbox.add_message(&inbound(&c, "w1", "hi", t + secs(1)), None).await.unwrap();
    let change = ConversationChange {
        status: Some(ConversationStatus::Resolved),
        assignee: Some(Some("agent-1".into())),
        read: true,
    };
    assert!(s.inbox.change_conversation(&org, "c1", &change, t + secs(2)).await.unwrap());
    assert!(!s.inbox.change_conversation(&OrgId::new("org-b"), "c1", &change, t).await.unwrap());
    let got = s.inbox.conversation(&org, "c1").await.unwrap().unwrap();
    assert_eq!((got.status, got.assignee.as_deref(), got.unread), (ConversationStatus::Resolved, Some("agent-1"), 0));

    // Our reply neither reopens nor counts as unread; the customer's next message does both.
    s.inbox.add_message(&outbound(&c, "o1", t + secs(3)), None).await.unwrap();
    let got = s.inbox.conversation(&org, "c1").await.unwrap().unwrap();
    assert_eq!((got.status, got.unread, got.last_inbound_at), (ConversationStatus::Resolved, 0, Some(t + secs(1))));
    s.inbox.add_message(&inbound(&c, "w2", "one more thing", t + secs(4)), None).await.unwrap();
    let got = s.inbox.conversation(&org, "c1").await.unwrap().unwrap();
    assert_eq!((got.status, got.unread, got.assignee.as_deref()), (ConversationStatus::Open, 1, Some("agent-1")));
    let other = s.inbox.open_conversation(&conversation("org-a", "c2", "contact-2", t)).await.unwrap();
    s.inbox.add_message(&inbound(&other, "w3", "hola", t + secs(4)), None).await.unwrap();
    s.inbox.add_message(&inbound(&other, "w4", "¿hay alguien?", t + secs(5)), None).await.unwrap();
    assert_eq!(s.inbox.unread_total(&org).await.unwrap(), 3);
    assert_eq!(s.inbox.unread_total(&OrgId::new("org-b")).await.unwrap(), 0);
    let unassign = ConversationChange { assignee: Some(None), ..Default::default() };
    s.inbox.change_conversation(&org, "c1", &unassign, t + secs(5)).await.unwrap();
    assert_eq!(s.inbox.conversation(&org, "c1").await.unwrap().unwrap().assignee, None);
}

pub async fn statuses_only_move_forward_and_a_failure_keeps_its_reason(s: Stores) {
    let t = now();
    let org = OrgId::new("org-a");
    let c = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    for id in ["o1", "o2"] {
        s.inbox.add_message(&outbound(&c, id, t), None).await.unwrap();
    }
    let pending = s.inbox.message(&org, "o1").await.unwrap().unwrap();
    assert_eq!((pending.status, pending.wamid.as_deref()), (MessageStatus::Pending, None));
    assert!(s.inbox.set_wamid(&org, "o1", "wamid.O1", t + secs(1)).await.unwrap());
    assert!(!s.inbox.set_wamid(&OrgId::new("org-b"), "o2", "wamid.X", t).await.unwrap());
    let advance = |wamid: &'static str, status, error: Option<MessageError>, at| {
        let s = s.clone();
        async move { s.inbox.advance_status("1001", wamid, status, error.as_ref(), at).await.unwrap() }
    };
    assert_eq!(advance("wamid.O1", MessageStatus::Read, None, t + secs(3)).await.unwrap().status, MessageStatus::Read);
    assert_eq!(advance("wamid.O1", MessageStatus::Delivered, None, t + secs(2)).await, None, "never back");
    assert_eq!(advance("wamid.O1", MessageStatus::Sent, None, t + secs(4)).await, None, "a late sent changes nothing");
    let error = MessageError { code: 131026, title: "Message undeliverable".into(), details: Some("Receiver is incapable".into()) };
    assert_eq!(advance("wamid.O1", MessageStatus::Failed, Some(error.clone()), t).await, None, "read stays read");
    assert_eq!(advance("wamid.unknown", MessageStatus::Read, None, t).await, None);
    let got = s.inbox.message(&org, "o1").await.unwrap().unwrap();
    assert_eq!((got.status, got.status_at, got.wamid.as_deref()), (MessageStatus::Read, t + secs(3), Some("wamid.O1")));

    // A failure after sent is kept with Meta's reason; nothing moves it on afterwards.
    s.inbox.set_wamid(&org, "o2", "wamid.O2", t + secs(1)).await.unwrap();
    let failed = advance("wamid.O2", MessageStatus::Failed, Some(error.clone()), t + secs(2)).await.unwrap();
    assert_eq!((failed.status, failed.error), (MessageStatus::Failed, Some(error)));
    assert_eq!(advance("wamid.O2", MessageStatus::Delivered, None, t + secs(3)).await, None);
    // A message Meta never accepted fails with the reason, once; a sent one cannot be failed so.
    let refused = MessageError { code: 190, title: "Re-authorise".into(), details: None };
    s.inbox.add_message(&outbound(&c, "o3", t), None).await.unwrap();
    assert!(s.inbox.fail_unsent(&org, "o3", &refused, t + secs(1)).await.unwrap());
    assert!(!s.inbox.fail_unsent(&org, "o3", &refused, t + secs(2)).await.unwrap());
    assert!(!s.inbox.fail_unsent(&org, "o1", &refused, t + secs(2)).await.unwrap(), "o1 was read");
    assert!(!s.inbox.fail_unsent(&OrgId::new("org-b"), "o3", &refused, t).await.unwrap());
    let got = s.inbox.message(&org, "o3").await.unwrap().unwrap();
    assert_eq!((got.status, got.error, got.status_at), (MessageStatus::Failed, Some(refused), t + secs(1)));
    // The wamid arriving after a status (deliveries out of order) does not move it back.
    assert!(s.inbox.set_wamid(&org, "o2", "wamid.O2", t + secs(4)).await.unwrap());
    assert_eq!(s.inbox.message(&org, "o2").await.unwrap().unwrap().status, MessageStatus::Failed);
}

pub async fn lists_page_newest_first_by_filter_and_stay_in_their_organisation(s: Stores) {
    let t = now();
    let org = OrgId::new("org-a");
    for n in 0..5i64 {
        let c = s.inbox.open_conversation(&conversation("org-a", &format!("c{n}"), &format!("k{n}"), t)).await.unwrap();
        s.inbox.add_message(&inbound(&c, &format!("w{n}"), "hi", t + secs(n)), None).await.unwrap();
    }
    let other = s.inbox.open_conversation(&conversation("org-b", "cb", "k0", t)).await.unwrap();
    s.inbox.add_message(&inbound(&other, "wb", "hi", t + secs(9)), None).await.unwrap();
    let mine = ConversationChange { assignee: Some(Some("u1".into())), ..Default::default() };
    s.inbox.change_conversation(&org, "c1", &mine, t).await.unwrap();
    s.inbox.change_conversation(&org, "c3", &mine, t).await.unwrap();
    let resolved = ConversationChange { status: Some(ConversationStatus::Resolved), ..Default::default() };
    s.inbox.change_conversation(&org, "c3", &resolved, t).await.unwrap();

    let ids = |list: Vec<ConversationRecord>| list.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let all = ConversationFilter::default();
    let first = s.inbox.list_conversations(&org, &all, None, 2).await.unwrap();
    let last = first.last().map(|c| (to_millis(c.last_message_at), c.id.clone()));
    assert_eq!(ids(first), ["c4", "c3"]);
    assert_eq!(ids(s.inbox.list_conversations(&org, &all, last.as_ref(), 10).await.unwrap()), ["c2", "c1", "c0"]);
    let of = |assignee, status| ConversationFilter { assignee, status, ..Default::default() };
    let list = |f: ConversationFilter| {
        let s = s.clone();
        let org = org.clone();
        async move { ids(s.inbox.list_conversations(&org, &f, None, 10).await.unwrap()) }
    };
    assert_eq!(list(of(AssigneeFilter::User("u1".into()), None)).await, ["c3", "c1"]);
    assert_eq!(list(of(AssigneeFilter::Nobody, None)).await, ["c4", "c2", "c0"]);
    assert_eq!(list(of(AssigneeFilter::User("u1".into()), Some(ConversationStatus::Open))).await, ["c1"]);
    assert_eq!(list(of(AssigneeFilter::Anyone, Some(ConversationStatus::Resolved))).await, ["c3"]);
    assert_eq!(s.inbox.messages(&OrgId::new("org-b"), "c1", None, 10).await.unwrap(), vec![]);
    let of_contact = ConversationFilter { contact_id: Some("k2".into()), ..Default::default() };
    assert_eq!(ids(s.inbox.list_conversations(&org, &of_contact, None, 10).await.unwrap()), ["c2"]);
    let elsewhere = ConversationFilter { contact_id: Some("k0".into()), ..Default::default() };
    assert_eq!(ids(s.inbox.list_conversations(&OrgId::new("org-b"), &elsewhere, None, 10).await.unwrap()), ["cb"]);
}

pub async fn messages_page_newest_first(s: Stores) {
    let t = now();
    let org = OrgId::new("org-a");
    let c = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    for n in 0..5i64 {
        s.inbox.add_message(&inbound(&c, &format!("w{n}"), &format!("m{n}"), t + secs(n)), None).await.unwrap();
    }
    let page = s.inbox.messages(&org, "c1", None, 3).await.unwrap();
    let wamids = |page: &[MessageRecord]| page.iter().map(|m| m.wamid.clone().unwrap()).collect::<Vec<_>>();
    assert_eq!(wamids(&page), ["w4", "w3", "w2"]);
    let oldest = page.last().map(|m| (to_millis(m.created_at), m.id.clone())).unwrap();
    assert_eq!(wamids(&s.inbox.messages(&org, "c1", Some(&oldest), 3).await.unwrap()), ["w1", "w0"]);
}

pub async fn a_messages_content_is_replaced_within_its_organisation(s: Stores) {
    let t = now();
    let c = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    s.inbox.add_message(&inbound(&c, "w1", "photo", t), None).await.unwrap();
    let fetched = MessageContent::Text { body: "fetched".into() };
    assert!(!s.inbox.set_content(&OrgId::new("org-b"), "m-w1", &fetched).await.unwrap(), "another org's");
    assert!(s.inbox.set_content(&OrgId::new("org-a"), "m-w1", &fetched).await.unwrap());
    assert!(!s.inbox.set_content(&OrgId::new("org-a"), "m-none", &fetched).await.unwrap());
    assert_eq!(s.inbox.message(&OrgId::new("org-a"), "m-w1").await.unwrap().unwrap().content, fetched);
}

pub async fn conversations_are_found_by_message_text_and_narrowed_to_contacts(s: Stores) {
    let t = now();
    let org = OrgId::new("org-a");
    let c1 = s.inbox.open_conversation(&conversation("org-a", "c1", "contact-1", t)).await.unwrap();
    let c2 = s.inbox.open_conversation(&conversation("org-a", "c2", "contact-2", t + secs(1))).await.unwrap();
    let c3 = s.inbox.open_conversation(&conversation("org-a", "c3", "contact-3", t + secs(2))).await.unwrap();
    let other = s.inbox.open_conversation(&conversation("org-b", "c9", "contact-9", t)).await.unwrap();
    s.inbox.add_message(&inbound(&c1, "w1", "¿Tienen la CHAQUETA azul?", t), None).await.unwrap();
    s.inbox.add_message(&inbound(&c2, "w2", "Quiero una chaqueta 100% lana_fina", t + secs(1)), None).await.unwrap();
    s.inbox.add_message(&inbound(&c3, "w3", "Hola", t + secs(2)), None).await.unwrap();
    s.inbox.add_message(&inbound(&other, "w9", "chaqueta", t), None).await.unwrap();
    assert_eq!(s.inbox.search_messages(&org, "chaqueta", 10).await.unwrap(), ["c2", "c1"], "newest first, any case");
    assert_eq!(s.inbox.search_messages(&org, "100%", 10).await.unwrap(), ["c2"], "% is a character");
    assert_eq!(s.inbox.search_messages(&org, "a_f", 10).await.unwrap(), ["c2"], "_ is a character");
    assert!(s.inbox.search_messages(&org, "zapato", 10).await.unwrap().is_empty());
    assert!(s.inbox.search_messages(&org, "type", 10).await.unwrap().is_empty(), "the text, not the stored JSON");
    let ids = |page: Vec<ConversationRecord>| page.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let filter = ConversationFilter {
        matching: Some((vec!["contact-3".into()], vec!["c1".into()])),
        ..Default::default()
    };
    assert_eq!(ids(s.inbox.list_conversations(&org, &filter, None, 10).await.unwrap()), ["c3", "c1"]);
    let narrowed = ConversationFilter { contacts: Some(vec!["contact-1".into(), "contact-2".into()]), ..filter };
    assert_eq!(ids(s.inbox.list_conversations(&org, &narrowed, None, 10).await.unwrap()), ["c1"], "both apply");
    let none = ConversationFilter { contacts: Some(vec![]), ..Default::default() };
    assert!(s.inbox.list_conversations(&org, &none, None, 10).await.unwrap().is_empty());
}

pub async fn the_inbox_clock_moves_per_organisation(s: Stores) {
    let (a, b) = (OrgId::new("org-a"), OrgId::new("org-b"));
    assert_eq!(s.inbox.inbox_version(&a).await.unwrap(), 0);
    futures_util::future::join_all((0..5).map(|_| s.inbox.touch_inbox(&a))).await.into_iter().for_each(|r| r.unwrap());
    assert_eq!(s.inbox.inbox_version(&a).await.unwrap(), 5, "no change lost when they race");
    s.inbox.touch_inbox(&b).await.unwrap();
    assert_eq!((s.inbox.inbox_version(&a).await.unwrap(), s.inbox.inbox_version(&b).await.unwrap()), (5, 1));
}
