//! The budgets service behind the optimiser's server functions, each within the caller's
//! organisation: settings (admins change them), proposals (admins ask for one; the same inputs
//! give back the same proposal), and explanations (one per proposal and language, kept).

use super::explain;
use super::inputs::{self, Inputs};
use crate::integrations::anthropic::AnthropicClient;
use crate::optimiser::{OptimiserError, Rail, decide};
use crate::storage::Stores;
use crate::storage::ads::AdAccountRecord;
use crate::storage::budgets::{
    BudgetChangeRecord, BudgetSettingsRecord, ChangeUpdate, DecisionRecord, DraftRecord, ExplanationRecord,
};
use app::accounts::model::Caller;
use app::budgets::model::{AppliedChange, BudgetSettings, Explanation, History, Proposal, ProposalRow, WhatIf};
use app::budgets::port::{BudgetError, Budgets, SettingsForm};
use app::i18n::Lang;
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub struct BudgetService {
    stores: Stores,
    claude: Option<AnthropicClient>,
}

fn admin(caller: &Caller) -> Result<(), BudgetError> {
    if caller.role.can_manage_members() { Ok(()) } else { Err(BudgetError::Forbidden) }
}

/// Settings before an admin saved any: tsbench's rails (a tenth of an equal share as the floor,
/// 60 % of the budget as the cap), 20 % a day, a week of data.
fn defaults(org: &Caller, account: &AdAccountRecord, inputs: &Inputs) -> BudgetSettingsRecord {
    let budgets: Vec<i64> = inputs.candidates.iter().filter_map(|c| c.holder.daily_budget).collect();
    let total: i64 = budgets.iter().sum();
    let share = if budgets.is_empty() { 0 } else { total / budgets.len() as i64 };
    BudgetSettingsRecord {
        org_id: org.org_id.clone(),
        currency: account.currency.clone(),
        daily_budget: total,
        floor: share / 10,
        cap: total * 6 / 10,
        max_change_pct: 20,
        min_days: 7,
        min_spend: share,
        auto: false,
        auto_paused: None,
        updated_by: String::new(),
        updated_at: OffsetDateTime::now_utc(),
    }
}

fn view(s: &BudgetSettingsRecord, saved: bool, inputs: &Inputs) -> BudgetSettings {
    BudgetSettings {
        currency: s.currency.clone(),
        daily_budget: saved.then_some(s.daily_budget),
        floor: s.floor,
        cap: s.cap,
        max_change_pct: s.max_change_pct,
        min_days: s.min_days,
        min_spend: s.min_spend,
        auto: s.auto,
        auto_paused: s.auto_paused.clone(),
        campaigns: inputs.candidates.len() as i64,
        current_total: inputs.candidates.iter().filter_map(|c| c.holder.daily_budget).sum(),
        allowed: inputs.allowed(s),
    }
}

fn rail_key(rail: Rail) -> &'static str {
    match rail {
        Rail::None => "none",
        Rail::Floor => "floor",
        Rail::Cap => "cap",
        Rail::MaxIncrease => "max_increase",
        Rail::MaxDecrease => "max_decrease",
    }
}

fn proposal(record: &DecisionRecord) -> Result<Proposal, BudgetError> {
    let mut p: Proposal = serde_json::from_str(&record.body).map_err(BudgetError::internal)?;
    p.status = record.status.clone();
    p.applied_at = record.applied_at.map(crate::storage::to_millis);
    Ok(p)
}

fn change_view(c: &BudgetChangeRecord) -> AppliedChange {
    AppliedChange {
        campaign_id: c.campaign_id.clone(),
        budget_after: c.budget_after,
        applied_budget: c.applied_budget,
        status: c.status.clone(),
        error: c.error.clone(),
        attempts: c.attempts,
    }
}

/// A new decision to store: `p` asked by `caller`, computed from inputs digested as `hash`.
fn record_of(caller: &Caller, p: &Proposal, hash: String) -> Result<DecisionRecord, BudgetError> {
    Ok(DecisionRecord {
        id: p.id.clone(),
        org_id: caller.org_id.clone(),
        day: p.day.clone(),
        inputs_hash: hash,
        status: p.status.clone(),
        body: serde_json::to_string(p).map_err(BudgetError::internal)?,
        created_by: caller.user_id.to_string(),
        created_at: crate::storage::from_millis(p.created_at),
        applied_by: None,
        applied_at: None,
    })
}

/// A member's name, or the id a former member leaves behind.
fn named(names: &BTreeMap<String, String>, id: &str) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

/// A whole number in `min..=max` typed in a form.
fn whole(text: &str, min: i64, max: i64, code: &'static str) -> Result<i64, BudgetError> {
    text.trim().parse::<i64>().ok().filter(|n| (min..=max).contains(n)).ok_or(BudgetError::Invalid(code))
}

impl BudgetService {
    pub fn new(stores: Stores, claude: Option<AnthropicClient>) -> Self {
        Self { stores, claude }
    }

    async fn account(&self, caller: &Caller) -> Result<AdAccountRecord, BudgetError> {
        self.stores
            .ads
            .ad_account(&caller.org_id)
            .await
            .map_err(BudgetError::internal)?
            .ok_or(BudgetError::NotConnected)
    }

    /// A stored decision as the page shows it: with its changes and who applied it.
    async fn shown(&self, caller: &Caller, record: &DecisionRecord) -> Result<Proposal, BudgetError> {
        let mut p = proposal(record)?;
        if let Some(by) = &record.applied_by {
            let e = BudgetError::internal;
            let (changes, names) =
                tokio::join!(self.stores.budgets.changes(&caller.org_id, &record.id), self.names(caller));
            p.changes = changes.map_err(e)?.iter().map(change_view).collect();
            p.applied_by = Some(named(&names?, by));
        }
        Ok(p)
    }

    /// The organisation's members' names by user id.
    async fn names(&self, caller: &Caller) -> Result<BTreeMap<String, String>, BudgetError> {
        let members = self.stores.members.members(&caller.org_id).await.map_err(BudgetError::internal)?;
        Ok(members.into_iter().map(|(u, _)| (u.id.to_string(), format!("{} {}", u.first_name, u.last_name))).collect())
    }

    /// The history's decisions with their proposals, newest first.
    async fn recent(&self, caller: &Caller) -> Result<Vec<(DecisionRecord, Proposal)>, BudgetError> {
        let records = self.stores.budgets.decisions(&caller.org_id, super::history::SHOWN);
        let records = records.await.map_err(BudgetError::internal)?;
        records.into_iter().map(|r| proposal(&r).map(|p| (r, p))).collect()
    }

    /// The history, with the chart drawing `drawn` names plotted (none for the page).
    async fn history_drawn(
        &self,
        caller: &Caller,
        lang: Lang,
        drawn: Option<&str>,
    ) -> Result<(History, Vec<crate::ads::charts::Drawn>), BudgetError> {
        let account = self.account(caller).await?;
        let (decisions, names) = tokio::join!(self.recent(caller), self.names(caller));
        let (decisions, names) = (decisions?, names?);
        let (mut history, drawn) = super::history::read(&self.stores, &account, &decisions, lang, drawn).await?;
        for (entry, (record, _)) in history.entries.iter_mut().zip(&decisions) {
            entry.applied_by = record.applied_by.as_deref().map(|by| named(&names, by));
        }
        // The drawing changes with each sync and each decision: both are in its address.
        let version = crate::ads::dashboard::synced(&account)
            ^ decisions.first().map_or(0, |(r, _)| crate::storage::to_millis(r.created_at));
        history.chart = crate::ads::charts::listed(&drawn, |id| {
            format!("/api/budgets/charts/{id}.svg?lang={}&v={version}", lang.code())
        })
        .into_iter()
        .next();
        Ok((history, drawn))
    }

    async fn draft_record(&self, caller: &Caller, id: &str) -> Result<(DraftRecord, DecisionRecord), BudgetError> {
        let e = BudgetError::internal;
        let store = &self.stores.budgets;
        let draft = store.draft(&caller.org_id, id).await.map_err(e)?.ok_or(BudgetError::NotFound)?;
        let record =
            store.decision(&caller.org_id, &draft.decision_id).await.map_err(e)?.ok_or(BudgetError::NotFound)?;
        Ok((draft, record))
    }

    async fn saved(&self, caller: &Caller) -> Result<Option<BudgetSettingsRecord>, BudgetError> {
        self.stores.budgets.budget_settings(&caller.org_id).await.map_err(BudgetError::internal)
    }

    /// Today's proposal (see [`Budgets::propose`]) and the inputs it was computed from, which the
    /// automatic mode's guards read too. The caller's role is not checked here.
    pub async fn propose_reading(&self, caller: &Caller) -> Result<(Proposal, Inputs), BudgetError> {
        let account = self.account(caller).await?;
        let settings = self.saved(caller).await?.ok_or(BudgetError::NoSettings)?;
        if settings.currency != account.currency {
            return Err(BudgetError::CurrencyMismatch(settings.currency));
        }
        let inputs = inputs::read(&self.stores, &caller.org_id, &account).await?;
        let digest = inputs.digest(&settings);
        let e = BudgetError::internal;
        let recent = self.stores.budgets.decisions(&caller.org_id, 1).await.map_err(e)?;
        // The same inputs give back the same decision: the proposal, or the plan an admin made of
        // it by hand and applied (asking again must not undo that plan).
        let drafted = format!("{digest}/draft/");
        let same = |d: &&DecisionRecord| {
            d.inputs_hash == digest || (d.inputs_hash.starts_with(&drafted) && d.applied_at.is_some())
        };
        if let Some(same) = recent.iter().find(same) {
            return Ok((self.shown(caller, same).await?, inputs));
        }
        let p = self.compute(caller, &settings, &inputs)?;
        // The proposal it replaces stays in the history, marked as such.
        // Only if still unapplied: an admin applying it this instant keeps it.
        for old in recent.into_iter().filter(|d| d.status == "proposed") {
            self.stores.budgets.move_decision(&caller.org_id, &old.id, "proposed", "superseded").await.map_err(e)?;
        }
        let record = record_of(caller, &p, digest)?;
        self.stores.budgets.save_decision(&record).await.map_err(e)?;
        tracing::info!(org = %caller.org_id, decision = %p.id, campaigns = p.rows.len(), "budget proposal made");
        Ok((p, inputs))
    }

    /// Today's proposal from `inputs` under `settings`, with what it was computed from.
    fn compute(
        &self,
        caller: &Caller,
        settings: &BudgetSettingsRecord,
        inputs: &Inputs,
    ) -> Result<Proposal, BudgetError> {
        let input = inputs.decision_input(&caller.org_id, settings).ok_or(BudgetError::ThinData)?;
        let decision = decide(&input).map_err(|e| match e {
            OptimiserError::Infeasible { .. } => BudgetError::Infeasible,
            OptimiserError::FloorAboveCap(_) => BudgetError::Invalid("error-budget-floor-cap"),
            OptimiserError::NoCampaigns => BudgetError::ThinData,
        })?;
        let mut rows = Vec::with_capacity(inputs.candidates.len());
        for c in &inputs.candidates {
            let name = c.holder.name.clone();
            let current = c.holder.daily_budget.unwrap_or(0);
            match decision.campaigns.iter().find(|d| d.id == c.holder.id) {
                Some(d) => rows.push(ProposalRow {
                    id: d.id.clone(),
                    name,
                    level: c.holder.level.key().into(),
                    budget_before: d.budget_before,
                    budget_after: d.budget_after,
                    roas: d.roas,
                    roas_low: d.roas_interval.0,
                    roas_high: d.roas_interval.1,
                    p_best: d.p_best,
                    days_observed: d.days_observed as i64,
                    spend_observed: d.spend_observed.round() as i64,
                    bound_by: rail_key(d.bound_by).into(),
                    curve: super::whatif::kept(&d.curve),
                }),
                None => {
                    // Kept at its budget: what it earned so far is shown, nothing is inferred.
                    let (spend, revenue) = c.history.iter().fold((0.0, 0.0), |(s, r), d| (s + d.spend, r + d.revenue));
                    let roas = if spend > 0.0 { revenue / spend } else { 0.0 };
                    rows.push(ProposalRow {
                        id: c.holder.id.clone(),
                        name,
                        level: c.holder.level.key().into(),
                        budget_before: current,
                        budget_after: current,
                        roas,
                        roas_low: roas,
                        roas_high: roas,
                        p_best: 0.0,
                        days_observed: c.history.len() as i64,
                        spend_observed: spend.round() as i64,
                        bound_by: "thin".into(),
                        curve: Vec::new(),
                    })
                }
            }
        }
        Ok(Proposal {
            id: uuid::Uuid::new_v4().to_string(),
            day: crate::ads::dashboard::day_text(inputs.today),
            created_at: crate::storage::to_millis(OffsetDateTime::now_utc()),
            status: "proposed".into(),
            currency: settings.currency.clone(),
            budget: settings.daily_budget,
            max_change_pct: settings.max_change_pct,
            rows,
            // Over the moved campaigns: the held ones earn what they earn under either split.
            expected_revenue: decision.expected_revenue.round() as i64,
            expected_equal_split: decision.expected_revenue_equal_split.round() as i64,
            expected_unchanged: decision.expected_revenue_unchanged.round() as i64,
            maturity: inputs.maturity.curve(),
            floor: settings.floor,
            cap: settings.cap,
            s_ref: decision.s_ref,
            ..Default::default()
        })
    }
}

#[async_trait::async_trait]
impl Budgets for BudgetService {
    async fn settings(&self, caller: &Caller) -> Result<BudgetSettings, BudgetError> {
        let account = self.account(caller).await?;
        let inputs = inputs::read(&self.stores, &caller.org_id, &account).await?;
        Ok(match self.saved(caller).await? {
            Some(s) => view(&s, true, &inputs),
            None => view(&defaults(caller, &account, &inputs), false, &inputs),
        })
    }

    async fn save_settings(&self, caller: &Caller, form: SettingsForm) -> Result<BudgetSettings, BudgetError> {
        admin(caller)?;
        let account = self.account(caller).await?;
        let c = account.currency.as_str();
        let amount =
            |text: &str| crate::ads::parse::typed_amount(text, c).ok_or(BudgetError::Invalid("error-budget-amount"));
        let daily_budget = amount(&form.daily_budget)?;
        let (floor, cap, min_spend) = (amount(&form.floor)?, amount(&form.cap)?, amount(&form.min_spend)?);
        if daily_budget == 0 || cap == 0 {
            return Err(BudgetError::Invalid("error-budget-amount"));
        }
        if floor > cap {
            return Err(BudgetError::Invalid("error-budget-floor-cap"));
        }
        let previous = self.saved(caller).await?;
        let settings = BudgetSettingsRecord {
            org_id: caller.org_id.clone(),
            currency: account.currency.clone(),
            daily_budget,
            floor,
            cap,
            max_change_pct: whole(&form.max_change_pct, 1, 100, "error-budget-max-change")?,
            min_days: whole(&form.min_days, 0, 365, "error-budget-min-days")?,
            min_spend,
            auto: previous.as_ref().is_some_and(|p| p.auto),
            auto_paused: previous.and_then(|p| p.auto_paused),
            updated_by: caller.user_id.to_string(),
            updated_at: OffsetDateTime::now_utc(),
        };
        self.stores.budgets.save_budget_settings(&settings).await.map_err(BudgetError::internal)?;
        tracing::info!(org = %caller.org_id, "budget settings saved");
        let inputs = inputs::read(&self.stores, &caller.org_id, &account).await?;
        Ok(view(&settings, true, &inputs))
    }

    async fn propose(&self, caller: &Caller) -> Result<Proposal, BudgetError> {
        admin(caller)?;
        Ok(self.propose_reading(caller).await?.0)
    }

    async fn latest(&self, caller: &Caller) -> Result<Option<Proposal>, BudgetError> {
        let recent = self.stores.budgets.decisions(&caller.org_id, 1).await.map_err(BudgetError::internal)?;
        match recent.first() {
            Some(record) => self.shown(caller, record).await.map(Some),
            None => Ok(None),
        }
    }

    async fn apply(&self, caller: &Caller, id: &str) -> Result<Proposal, BudgetError> {
        admin(caller)?;
        let e = BudgetError::internal;
        let account = self.account(caller).await?;
        let store = &self.stores.budgets;
        let mut record = store.decision(&caller.org_id, id).await.map_err(e)?.ok_or(BudgetError::NotFound)?;
        let p = proposal(&record)?;
        if record.status == "superseded" {
            return Err(BudgetError::Superseded);
        }
        if p.currency != account.currency {
            return Err(BudgetError::CurrencyMismatch(p.currency));
        }
        let now = OffsetDateTime::now_utc();
        // Campaigns (or ad sets) that no longer hold an active daily budget at Meta since the
        // proposal are not asked: their change fails at once, with its reason, and the others go
        // ahead.
        let synced = self.stores.ads.campaigns(&caller.org_id).await.map_err(e)?;
        let live = super::inputs::holders(&self.stores, &caller.org_id, synced).await?;
        let active = |id: &str| live.iter().any(|h| h.id == id);
        let wanted: Vec<BudgetChangeRecord> = p
            .rows
            .iter()
            .filter(|r| r.budget_after != r.budget_before)
            .map(|r| BudgetChangeRecord {
                org_id: caller.org_id.clone(),
                decision_id: id.to_owned(),
                campaign_id: r.id.clone(),
                budget_before: r.budget_before,
                budget_after: r.budget_after,
                applied_budget: None,
                status: if active(&r.id) { "pending" } else { "failed" }.into(),
                error: (!active(&r.id)).then(|| "error-budget-campaign-gone".into()),
                attempts: 1,
                requested_by: caller.user_id.to_string(),
                requested_at: now,
                updated_at: now,
            })
            .collect();
        store.add_changes(&wanted).await.map_err(e)?;
        // Recorded now (new, or from an earlier apply): the pending ones are queued — again for an
        // earlier apply's, whose job key makes it the same job — and the failed ones retried.
        let mut queued = Vec::new();
        for mut change in store.changes(&caller.org_id, id).await.map_err(e)? {
            if change.status == "failed" && active(&change.campaign_id) {
                let update = ChangeUpdate {
                    org: &caller.org_id,
                    decision_id: id,
                    campaign_id: &change.campaign_id,
                    status: "pending",
                    error: None,
                    applied_budget: None,
                    attempt: true,
                    now,
                };
                store.set_change(&update).await.map_err(e)?;
                (change.status, change.attempts) = ("pending".into(), change.attempts + 1);
            }
            if change.status == "pending" {
                queued.push(change);
            }
        }
        if record.applied_by.is_none() {
            // In the account's time: a sandbox account's plan is applied on its simulated day.
            let at = crate::ads::dashboard::account_now(&account);
            (record.applied_by, record.applied_at) = (Some(caller.user_id.to_string()), Some(at));
        }
        // The decision is written before its jobs exist: once they run, only they move its status
        // (`apply::settle`), and nothing here can write over what they recorded.
        record.status = super::apply::status_of(&store.changes(&caller.org_id, id).await.map_err(e)?).into();
        store.save_decision(&record).await.map_err(e)?;
        // A change job of an earlier apply may have settled between the read and the write.
        super::apply::settle(&self.stores, &caller.org_id, id).await.map_err(e)?;
        for change in &queued {
            super::apply::enqueue(&self.stores, change, now).await.map_err(e)?;
        }
        let record = store.decision(&caller.org_id, id).await.map_err(e)?.unwrap_or(record);
        tracing::info!(org = %caller.org_id, decision = id, changes = wanted.len(), "budget proposal applied");
        self.shown(caller, &record).await
    }

    async fn explain(&self, caller: &Caller, id: &str, lang: Lang) -> Result<Explanation, BudgetError> {
        let e = BudgetError::internal;
        let store = &self.stores.budgets;
        let record = store.decision(&caller.org_id, id).await.map_err(e)?.ok_or(BudgetError::NotFound)?;
        if let Some(kept) = store.explanation(&caller.org_id, id, lang.code()).await.map_err(e)? {
            return Ok(Explanation { text: kept.text, source: kept.source, lang: kept.lang });
        }
        let p = proposal(&record)?;
        let claude = match &self.claude {
            Some(client) => explain::by_claude(client, &p, lang).await,
            None => None,
        };
        let explanation = match claude {
            Some(text) => Explanation { text, source: "claude".into(), lang: lang.code().into() },
            None => explain::by_rules(&p, lang),
        };
        // Claude's answer is kept (one call per proposal and language); so is the record's when
        // no key is configured. A failed call is not: the next view asks again.
        if explanation.source == "claude" || self.claude.is_none() {
            let kept = ExplanationRecord {
                org_id: caller.org_id.clone(),
                decision_id: id.to_owned(),
                lang: explanation.lang.clone(),
                text: explanation.text.clone(),
                source: explanation.source.clone(),
                created_at: OffsetDateTime::now_utc(),
            };
            store.save_explanation(&kept).await.map_err(e)?;
        }
        Ok(explanation)
    }

    async fn what_if(
        &self,
        caller: &Caller,
        id: &str,
        budgets: &BTreeMap<String, String>,
        save: bool,
    ) -> Result<WhatIf, BudgetError> {
        let e = BudgetError::internal;
        let record = self.stores.budgets.decision(&caller.org_id, id).await.map_err(e)?.ok_or(BudgetError::NotFound)?;
        let p = proposal(&record)?;
        let plan = super::whatif::typed(&p, budgets)?;
        let draft_id = if save {
            let draft = DraftRecord {
                id: uuid::Uuid::new_v4().to_string(),
                org_id: caller.org_id.clone(),
                decision_id: id.to_owned(),
                budgets: serde_json::to_string(&plan).map_err(BudgetError::internal)?,
                created_by: caller.user_id.to_string(),
                created_at: OffsetDateTime::now_utc(),
            };
            self.stores.budgets.save_draft(&draft).await.map_err(e)?;
            tracing::info!(org = %caller.org_id, draft = %draft.id, decision = id, "what-if draft saved");
            Some(draft.id)
        } else {
            None
        };
        Ok(super::whatif::what_if(&p, &plan, draft_id))
    }

    async fn draft(&self, caller: &Caller, id: &str) -> Result<WhatIf, BudgetError> {
        let (draft, record) = self.draft_record(caller, id).await?;
        let plan: BTreeMap<String, i64> = serde_json::from_str(&draft.budgets).map_err(BudgetError::internal)?;
        Ok(super::whatif::what_if(&proposal(&record)?, &plan, Some(draft.id)))
    }

    async fn apply_draft(&self, caller: &Caller, id: &str) -> Result<Proposal, BudgetError> {
        admin(caller)?;
        let e = BudgetError::internal;
        let (draft, original) = self.draft_record(caller, id).await?;
        let hash = format!("{}/draft/{}", original.inputs_hash, draft.id);
        // Applied before: that plan again (apply never asks Meta twice for a change).
        let recent = self.stores.budgets.decisions(&caller.org_id, super::history::SHOWN).await.map_err(e)?;
        if let Some(done) = recent.iter().find(|d| d.inputs_hash == hash) {
            return self.apply(caller, &done.id).await;
        }
        // Only a draft of the standing proposal: an older one's budgets start from days gone by.
        if original.status != "proposed" {
            return Err(BudgetError::Superseded);
        }
        let plan: BTreeMap<String, i64> = serde_json::from_str(&draft.budgets).map_err(BudgetError::internal)?;
        let p = super::whatif::planned_proposal(&proposal(&original)?, &plan, &draft.id);
        // The proposal steps aside first, and only if nobody applied it meanwhile: one plan a day.
        if !self
            .stores
            .budgets
            .move_decision(&caller.org_id, &original.id, "proposed", "superseded")
            .await
            .map_err(e)?
        {
            return Err(BudgetError::Superseded);
        }
        let record = record_of(caller, &p, hash)?;
        self.stores.budgets.save_decision(&record).await.map_err(e)?;
        tracing::info!(org = %caller.org_id, draft = id, decision = %p.id, "what-if draft turned into a plan");
        self.apply(caller, &p.id).await
    }

    async fn history(&self, caller: &Caller, lang: Lang) -> Result<History, BudgetError> {
        Ok(self.history_drawn(caller, lang, None).await?.0)
    }

    async fn chart(&self, caller: &Caller, id: &str, lang: Lang) -> Result<String, BudgetError> {
        let (_, drawn) = self.history_drawn(caller, lang, Some(id)).await?;
        drawn.into_iter().find(|d| d.id == id && !d.svg.is_empty()).map(|d| d.svg).ok_or(BudgetError::NotFound)
    }

    async fn set_auto(&self, caller: &Caller, on: bool) -> Result<(), BudgetError> {
        admin(caller)?;
        if on && caller.role != app::accounts::model::Role::Owner {
            return Err(BudgetError::Forbidden);
        }
        self.account(caller).await?;
        let mut settings = self.saved(caller).await?.ok_or(BudgetError::NoSettings)?;
        (settings.auto, settings.auto_paused) = (on, None);
        (settings.updated_by, settings.updated_at) = (caller.user_id.to_string(), OffsetDateTime::now_utc());
        self.stores.budgets.save_budget_settings(&settings).await.map_err(BudgetError::internal)?;
        tracing::info!(org = %caller.org_id, on, "automatic budget mode switched");
        Ok(())
    }
}
