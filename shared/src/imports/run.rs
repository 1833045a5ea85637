//! `consumer-import`'s work on one file: read it, validate every row, and — for a commit —
//! write the valid rows in chunks (≤ 100 items per transaction), each chunk retried row by row
//! when it fails so one bad row does not hold back the others, the import's progress saved after
//! each chunk (a run cut short and started again skips what is already written).

use super::kinds::{check_header, Expenses, Kind, Payments, Problems, Row, Tenants, Units, Written};
use super::leases::Leases;
use super::model::*;
use super::opening::OpeningBalances;
use super::service::{import_record, save};
use crate::platform::ctx::Ctx;
use crate::platform::db::{Tx, MAX_TRANSACTION_ACTIONS};
use crate::Result;
use std::collections::{HashMap, HashSet};

/// A file's header and its data rows with their lines.
pub type Sheet = (Vec<String>, Vec<(u32, Row)>);

/// The rows of a CSV file (the header's cells trimmed; empty cells left out), or why it is not one.
pub fn read(bytes: &[u8]) -> std::result::Result<Sheet, String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| "the file is not UTF-8 text".to_owned())?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> =
        reader.headers().map_err(|e| format!("the header: {e}"))?.iter().map(|h| h.trim().to_owned()).collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", i + 2))?;
        if rows.len() >= MAX_ROWS {
            return Err(format!("more than {MAX_ROWS} rows"));
        }
        let row: Row = header
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(h, v)| (h.clone(), v.trim().to_owned()))
            .collect();
        if !row.is_empty() {
            rows.push(((i + 2) as u32, row));
        }
    }
    Ok((header, rows))
}

/// What validating a file found.
pub struct Checked<P> {
    /// Valid rows not yet in the org: (line, plan).
    pub fresh: Vec<(u32, P)>,
    pub errors: Vec<RowError>,
    pub counts: Counts,
}

fn errors_of(line: u32, problems: Problems) -> impl Iterator<Item = RowError> {
    problems.into_iter().map(move |(field, message)| RowError { row: line, field, message })
}

/// Validates every row: its own problems, duplicates of an earlier row, and whether it is in the
/// org already (then skipped, not an error: importing a file twice creates nothing twice).
pub async fn check<K: Kind>(cx: &Ctx<'_>, header: &[String], rows: Vec<(u32, Row)>) -> Result<Checked<K::Plan>> {
    let mut errors: Vec<RowError> = errors_of(1, check_header::<K>(header)).collect();
    let lookup = K::lookup(cx).await?;
    let mut counts = Counts { rows: rows.len() as u32, ..Counts::default() };
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut planned = Vec::new();
    for (line, row) in &rows {
        // A column the kind does not know is the header's problem (line 1), not every row's.
        let row: Row =
            row.iter().filter(|(k, _)| K::COLUMNS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        match K::plan(&lookup, &row, cx.now) {
            Err(problems) => {
                counts.invalid += 1;
                errors.extend(errors_of(*line, problems));
            }
            Ok((key, plan)) => match seen.get(&key) {
                Some(first) => {
                    counts.invalid += 1;
                    let field = K::REQUIRED.last().copied().unwrap_or("row").to_owned();
                    let field = if K::KIND == ImportKind::Tenants { "email".to_owned() } else { field };
                    errors.push(RowError { row: *line, field, message: format!("the same as line {first}") });
                }
                None => {
                    seen.insert(key, *line);
                    planned.push((*line, plan));
                }
            },
        }
    }
    let (planned, refused) = K::settle(planned);
    counts.invalid += refused.len() as u32;
    errors.extend(refused.into_iter().flat_map(|(line, problems)| errors_of(line, problems)));
    let existing = existing::<K>(cx, &planned).await?;
    let (there, fresh): (Vec<_>, Vec<_>) = planned.into_iter().partition(|(line, _)| existing.contains(line));
    counts.existing = there.iter().map(|(_, p)| K::rows(p)).sum();
    counts.valid = fresh.iter().map(|(_, p)| K::rows(p)).sum();
    errors.sort_by_key(|e| e.row);
    Ok(Checked { fresh, errors, counts })
}

/// The lines whose record is in the org already.
async fn existing<K: Kind>(cx: &Ctx<'_>, planned: &[(u32, K::Plan)]) -> Result<HashSet<u32>> {
    let mut out = HashSet::new();
    for chunk in planned.chunks(100) {
        let keys: Vec<_> = chunk.iter().map(|(_, p)| K::existing_key(cx, p)).collect();
        let found: HashSet<_> =
            cx.db.batch_get(&keys).await?.iter().filter_map(crate::platform::db::keys::Key::of_item).collect();
        out.extend(chunk.iter().zip(&keys).filter(|(_, k)| found.contains(k)).map(|((line, _), _)| *line));
    }
    Ok(out)
}

/// Why a row written one by one (through its domain's service) was refused, unless it says.
const ONE_BY_ONE: &str = "the ledger refused it when it was recorded (the lease changed, or it is there already)";
/// Why a row of a failed chunk was refused when written alone.
const IN_BULK: &str = "already in the org, or its building changed, when it was written";

fn refusal(row: u32, why: Option<(String, String)>, otherwise: &str) -> RowError {
    let (field, message) = why.unwrap_or_else(|| ("row".into(), otherwise.into()));
    RowError { row, field, message }
}

/// Writes the fresh rows in chunks; a chunk that fails is written row by row. Answers the rows
/// written and the ones that failed (as errors).
async fn write_rows<K: Kind>(cx: &Ctx<'_>, id: &str, fresh: &[(u32, K::Plan)]) -> Result<(u32, Vec<RowError>)> {
    let per_chunk = (MAX_TRANSACTION_ACTIONS / (K::ITEMS_PER_ROW + 1)).max(1);
    let (mut created, mut failed) = (0u32, Vec::new());
    if !K::BULK {
        for (i, (line, plan)) in fresh.iter().enumerate() {
            match K::write_one(cx, plan).await? {
                Written::Created => created += K::rows(plan),
                Written::Refused(why) => failed.push(refusal(*line, why, ONE_BY_ONE)),
            }
            if (i + 1) % 100 == 0 {
                super::service::progress(cx, id, created).await?;
            }
        }
        return Ok((created, failed));
    }
    for chunk in fresh.chunks(per_chunk) {
        let mut tx = Tx::new();
        K::write(&mut tx, cx, &chunk.iter().map(|(_, p)| p).collect::<Vec<_>>());
        match cx.db.transact(tx).await {
            Ok(()) => created += chunk.iter().map(|(_, p)| K::rows(p)).sum::<u32>(),
            Err(e) if e.failed_conditions().is_some() || e.is_conflict() => {
                for (line, plan) in chunk {
                    match K::write_one(cx, plan).await? {
                        Written::Created => created += K::rows(plan),
                        Written::Refused(why) => failed.push(refusal(*line, why, IN_BULK)),
                    }
                }
            }
            Err(e) => return Err(e.into()),
        }
        super::service::progress(cx, id, created).await?;
    }
    Ok((created, failed))
}

/// Runs the import `id` on its file's bytes: validates, and commits when asked (`commit`) and
/// nothing is wrong.
pub async fn process(cx: &Ctx<'_>, id: &str, bytes: &[u8], commit: bool) -> Result<ImportRecord> {
    let record = import_record(cx, id).await?;
    match record.kind {
        ImportKind::Tenants => process_kind::<Tenants>(cx, record, bytes, commit).await,
        ImportKind::Units => process_kind::<Units>(cx, record, bytes, commit).await,
        ImportKind::Payments => process_kind::<Payments>(cx, record, bytes, commit).await,
        ImportKind::Expenses => process_kind::<Expenses>(cx, record, bytes, commit).await,
        ImportKind::Leases => process_kind::<Leases>(cx, record, bytes, commit).await,
        ImportKind::OpeningBalances => process_kind::<OpeningBalances>(cx, record, bytes, commit).await,
    }
}

async fn process_kind<K: Kind>(cx: &Ctx<'_>, record: ImportRecord, bytes: &[u8], commit: bool) -> Result<ImportRecord> {
    if matches!(record.status, ImportStatus::Committed) {
        return Ok(record);
    }
    let (header, rows) = match read(bytes) {
        Ok(r) => r,
        Err(why) => {
            let failed = ImportRecord { status: ImportStatus::Failed, failure: Some(why), ..record.clone() };
            return save::<super::events::ImportValidated>(cx, &record, failed, None).await;
        }
    };
    let checked = check::<K>(cx, &header, rows).await?;
    let error_count = checked.errors.len() as u32;
    let validated = ImportRecord {
        status: ImportStatus::Validated,
        counts: checked.counts.clone(),
        error_count,
        errors: checked.errors.iter().take(ERRORS_KEPT).cloned().collect(),
        failure: None,
        ..record.clone()
    };
    let event = super::events::ImportValidated {
        import_id: record.id.clone(),
        kind: K::KIND.as_str().into(),
        rows: checked.counts.rows,
        errors: error_count,
        dry_run: !commit,
    };
    if !commit || error_count > 0 {
        return save(cx, &record, validated, Some(&event)).await;
    }
    let committing = ImportRecord { status: ImportStatus::Committing, ..validated };
    let committing = save(cx, &record, committing, Some(&event)).await?;
    let (created, failed) = write_rows::<K>(cx, committing.id.as_str(), &checked.fresh).await?;
    let now = import_record(cx, committing.id.as_str()).await?;
    let counts = Counts { created, failed: failed.len() as u32, ..checked.counts };
    let done = ImportRecord {
        status: ImportStatus::Committed,
        counts,
        error_count: failed.len() as u32,
        errors: failed.clone(),
        ..now.clone()
    };
    let event = super::events::ImportCommitted {
        import_id: now.id.clone(),
        kind: K::KIND.as_str().into(),
        created,
        skipped: done.counts.existing,
        failed: failed.len() as u32,
    };
    save(cx, &now, done, Some(&event)).await
}
