//! Months of the books: closing one makes it immutable (automatic postings dated in it land on
//! the first open day, manual ones are refused); reopening is the owner's, audited. Both advance
//! the books' head, so no posting decided on the periods as they were can commit after.

use super::events::{PeriodClosed, PeriodReopened};
use super::model::*;
use super::poster::{read_head, write_head};
use crate::core::audit::audit;
use crate::events;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, Decision, ItemBuilder, Query, Retry, Tx};
use crate::{Error, Result};

/// `YYYY-MM` with a real month, or a 400 naming `month`.
pub fn parse_month(s: &str) -> Result<String> {
    let ok = s.len() == 7
        && chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok()
        && s.as_bytes()[4] == b'-';
    ok.then(|| s.to_owned()).ok_or_else(|| Error::invalid("month", "must be a month YYYY-MM"))
}

pub async fn list_periods(cx: &Ctx<'_>) -> Result<Vec<Period>> {
    let (pk, prefix) = keys::periods(cx.scope);
    let items = cx.db.query_all(Query::partition(db::Index::Primary, pk).begins_with(prefix)).await?;
    Ok(items.into_iter().map(db::from_item).collect::<std::result::Result<_, _>>()?)
}

/// Closes (`to == Closed`) or reopens a month.
pub async fn set_period(cx: &Ctx<'_>, month: &str, to: PeriodStatus, reason: Option<String>) -> Result<Period> {
    let month = parse_month(month)?;
    let read = || async {
        let head = read_head(cx).await?;
        let current: Option<Period> = cx.db.get_as(&keys::period(cx.scope, &month)).await?;
        Ok::<_, Error>((head, current))
    };
    let decide = |(head, current): &(Option<(Head, i64)>, Option<Period>)| {
        let is = current.as_ref().map_or(PeriodStatus::Open, |p| p.status);
        if is == to {
            let what = if to == PeriodStatus::Closed { "already closed" } else { "not closed" };
            return Err(Error::Conflict(format!("{month} is {what}")));
        }
        let p =
            Period { month: month.clone(), status: to, changed_at: cx.now, changed_by: cx.scope.actor_id().to_owned() };
        let mut tx = Tx::new();
        tx.put(ItemBuilder::new(PERIOD_ENTITY, &keys::period(cx.scope, &month), &p).build(), None);
        let mut after =
            head.as_ref().map(|(h, _)| h.clone()).unwrap_or(Head { hash: ZERO_HASH.into(), ..Head::default() });
        after.periods_version += 1;
        write_head(&mut tx, cx, head, &after);
        let before = current.as_ref().map(|c| serde_json::to_value(c).expect("periods serialize"));
        let after_json = serde_json::to_value(&p).expect("periods serialize");
        let action = if to == PeriodStatus::Closed { "period.closed" } else { "period.reopened" };
        audit(&mut tx, cx, action, ("period", &month), before, Some(after_json));
        let _ = match to {
            PeriodStatus::Closed => {
                events::emit(&mut tx, cx.scope, &PeriodClosed { month: month.clone(), reason: reason.clone() })
            }
            PeriodStatus::Open => {
                events::emit(&mut tx, cx.scope, &PeriodReopened { month: month.clone(), reason: reason.clone() })
            }
        };
        tx.guard_membership(cx.scope);
        Ok(Decision::Commit(tx, p))
    };
    cx.db.commit_loop(Retry::CONTENDED, read, decide).await
}
