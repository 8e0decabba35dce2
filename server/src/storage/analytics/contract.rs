//! The analytics contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::inbox::contract::{conversation, inbound, outbound};
use crate::storage::inbox::{ConversationChange, ConversationRecord};
use crate::storage::{Stores, millis_precision};
use app::inbox::model::{ConversationStatus, Referral};

fn order(org: &str, conversation: &str, value: i64, currency: &str) -> OrderRecord {
    OrderRecord {
        org_id: OrgId::new(org),
        conversation_id: conversation.into(),
        value,
        currency: currency.into(),
        recorded_by: "agent-1".into(),
        recorded_at: millis_precision(OffsetDateTime::now_utc()),
    }
}

pub async fn an_order_is_recorded_replaced_and_cleared_within_its_organisation(s: Stores) {
    let org = OrgId::new("org-a");
    s.analytics.set_order(&order("org-a", "c1", 125_000, "MXN")).await.unwrap();
    let replaced = order("org-a", "c1", 99_900, "MXN");
    s.analytics.set_order(&replaced).await.unwrap();
    assert_eq!(s.analytics.order(&org, "c1").await.unwrap(), Some(replaced));
    assert_eq!(s.analytics.order(&OrgId::new("org-b"), "c1").await.unwrap(), None);
    assert!(!s.analytics.clear_order(&OrgId::new("org-b"), "c1").await.unwrap());
    assert!(s.analytics.clear_order(&org, "c1").await.unwrap());
    assert_eq!(s.analytics.order(&org, "c1").await.unwrap(), None);
}

/// A conversation started by `ad` at `at` (its first message carries the referral).
async fn from_ad(s: &Stores, org: &str, id: &str, ad: &str, at: OffsetDateTime) -> ConversationRecord {
    let c = s.inbox.open_conversation(&conversation(org, id, &format!("k-{id}"), at)).await.unwrap();
    let referral = Referral { source_id: ad.into(), source_type: "ad".into(), ctwa_clid: None, headline: None };
    assert!(s.inbox.add_message(&inbound(&c, &format!("w-{id}"), "Hola", at), Some(&referral)).await.unwrap());
    c
}

pub async fn each_ads_conversations_are_counted_with_their_answers_resolutions_and_orders(s: Stores) {
    let org = OrgId::new("org-a");
    let t = millis_precision(OffsetDateTime::now_utc()) - secs(3600);
    let a = from_ad(&s, "org-a", "c1", "ad-1", t).await;
    from_ad(&s, "org-a", "c2", "ad-1", t + secs(10)).await;
    let c = from_ad(&s, "org-a", "c3", "ad-2", t + secs(20)).await;
    from_ad(&s, "org-a", "c4", "ad-1", t - secs(7200)).await; // before the period
    from_ad(&s, "org-b", "c5", "ad-1", t).await; // another organisation's
    // Not from an ad at all.
    let plain = s.inbox.open_conversation(&conversation("org-a", "c6", "k-c6", t)).await.unwrap();
    assert!(s.inbox.add_message(&inbound(&plain, "w-c6", "Hola", t), None).await.unwrap());

    assert!(s.inbox.add_message(&outbound(&a, "o-1", t + secs(60)), None).await.unwrap());
    assert!(s.inbox.add_message(&outbound(&a, "o-2", t + secs(90)), None).await.unwrap());
    let resolve = ConversationChange { status: Some(ConversationStatus::Resolved), ..Default::default() };
    assert!(s.inbox.change_conversation(&org, "c1", &resolve, t + secs(120)).await.unwrap());
    assert!(s.inbox.change_conversation(&org, "c3", &resolve, t + secs(120)).await.unwrap());
    s.analytics.set_order(&order("org-a", "c1", 150_000, "MXN")).await.unwrap();
    s.analytics.set_order(&order("org-a", "c2", 7_000, "USD")).await.unwrap(); // not the account's currency
    s.analytics.set_order(&order("org-a", &c.id, 20_000, "MXN")).await.unwrap();

    let got = s.analytics.referral_outcomes(&org, t - secs(1), t + secs(3600), "MXN").await.unwrap();
    let rows: Vec<_> = got.iter().map(|r| (r.ad_id.as_str(), r.started, r.replied, r.resolved, r.orders, r.revenue)).collect();
    assert_eq!(rows, [("ad-1", 2, 1, 1, 1, 150_000), ("ad-2", 1, 0, 1, 1, 20_000)]);
    let none = s.analytics.referral_outcomes(&org, t + secs(3600), t + secs(7200), "MXN").await.unwrap();
    assert!(none.is_empty());
}

pub async fn the_inbox_of_a_period_is_summed_by_day_status_answer_time_and_agent(s: Stores) {
    let org = OrgId::new("org-a");
    let t = millis_precision(OffsetDateTime::now_utc()) - secs(3 * 3600);
    let a = s.inbox.open_conversation(&conversation("org-a", "c1", "k1", t)).await.unwrap();
    let b = s.inbox.open_conversation(&conversation("org-a", "c2", "k2", t + secs(60))).await.unwrap();
    let other = s.inbox.open_conversation(&conversation("org-b", "c3", "k3", t)).await.unwrap();
    for (c, wamid, at) in [(&a, "w1", t), (&a, "w2", t + secs(30)), (&b, "w3", t + secs(60)), (&other, "w4", t)] {
        assert!(s.inbox.add_message(&inbound(c, wamid, "Hola", at), None).await.unwrap());
    }
    // Agent 1 answers the first conversation 2 minutes after its first message, then resolves it.
    assert!(s.inbox.add_message(&outbound(&a, "o1", t + secs(120)), None).await.unwrap());
    let mut failed = outbound(&b, "o2", t + secs(660));
    (failed.status, failed.sent_by) = (app::inbox::model::MessageStatus::Failed, Some("agent-2".into()));
    assert!(s.inbox.add_message(&failed, None).await.unwrap());
    let assign = |who: &str| ConversationChange { assignee: Some(Some(who.into())), ..Default::default() };
    assert!(s.inbox.change_conversation(&org, "c1", &assign("agent-1"), t + secs(130)).await.unwrap());
    let resolve = ConversationChange { status: Some(ConversationStatus::Resolved), ..Default::default() };
    assert!(s.inbox.change_conversation(&org, "c1", &resolve, t + secs(900)).await.unwrap());
    assert!(s.inbox.change_conversation(&org, "c2", &assign("agent-2"), t + secs(700)).await.unwrap());

    let m = s.analytics.messaging(&org, t - secs(1), t + secs(3600)).await.unwrap();
    assert_eq!(m.opened, [("open".to_owned(), 1), ("resolved".to_owned(), 1)]);
    let (ins, outs) = m.days.iter().fold((0, 0), |(i, o), d| (i + d.1, o + d.2));
    assert_eq!((ins, outs), (3, 2), "{:?}", m.days);
    assert_eq!(m.outbound, [("failed".to_owned(), 1), ("pending".to_owned(), 1)]);
    assert_eq!(m.first_responses, [120_000, 600_000]);
    assert_eq!(m.resolutions, [900_000]);
    let agents: Vec<_> = m.agents.iter().map(|a| (a.user_id.as_str(), a.sent, a.assigned, a.resolved)).collect();
    assert_eq!(agents, [("agent-1", 1, 1, 1), ("agent-2", 1, 1, 0)]);
    let later = s.analytics.messaging(&org, t + secs(3600), t + secs(7200)).await.unwrap();
    assert_eq!(later, Messaging::default());
}
