//! Imports through the API: created with a presigned upload of the file, read, listed, a dry
//! run committed, the templates. The file lands in the imports bucket under the org's prefix;
//! its arrival (`source.csv`) starts the validation, and a commit of a dry run copies it to
//! `commit.csv`, whose arrival starts the commit — both in `consumer-import`.

use super::kinds;
use super::model::*;
use crate::core::audit::audit;
use crate::events::DomainEvent;
use crate::ids::ImportId;
use crate::platform::blob::Blob;
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, keys, n, Expr, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::{Error, Result};

pub const SOURCE: &str = "source.csv";
pub const COMMIT: &str = "commit.csv";

fn item(cx: &Ctx<'_>, r: &ImportRecord) -> db::Item {
    ItemBuilder::new(IMPORT_ENTITY, &keys::import(cx.scope, r.id.as_str()), r).version(r.v).build()
}

pub async fn import_record(cx: &Ctx<'_>, id: &str) -> Result<ImportRecord> {
    let id = ImportId::parse(id).ok_or(Error::NotFound("import"))?;
    cx.db.get_as(&keys::import(cx.scope, id.as_str())).await?.ok_or(Error::NotFound("import"))
}

/// Writes `after` over `before` (under its version), with `event` when given.
pub async fn save<E: DomainEvent>(
    cx: &Ctx<'_>,
    before: &ImportRecord,
    after: ImportRecord,
    event: Option<&E>,
) -> Result<ImportRecord> {
    let after = ImportRecord { v: before.v + 1, updated_at: cx.now, ..after };
    let mut tx = Tx::new();
    tx.put(item(cx, &after), Some(Expr::new("#v = :v").name("#v", "v").value(":v", n(before.v))));
    if let Some(e) = event {
        crate::events::emit(&mut tx, cx.scope, e);
    }
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions().is_some() || e.is_conflict() {
        true => Error::Conflict("the import changed meanwhile".into()),
        false => e.into(),
    })?;
    Ok(after)
}

/// Records how many rows the commit has written so far.
pub async fn progress(cx: &Ctx<'_>, id: &str, created: u32) -> Result<()> {
    let set = Expr::new("SET #c.#n = :n").name("#c", "counts").name("#n", "created").value(":n", n(created as i64));
    let mut tx = Tx::new();
    tx.update(keys::import(cx.scope, id), set, Some(Expr::exists()));
    Ok(cx.db.transact(tx).await?)
}

/// A new import waiting for its file.
pub fn new_record(cx: &Ctx<'_>, id: ImportId, input: &CreateImport) -> ImportRecord {
    ImportRecord {
        id,
        kind: input.kind,
        name: input.name.trim().to_owned(),
        size_bytes: input.size_bytes,
        dry_run: input.dry_run,
        status: ImportStatus::Uploading,
        counts: Counts::default(),
        error_count: 0,
        errors: Vec::new(),
        failure: None,
        created_at: cx.now,
        created_by: cx.scope.actor_id().to_owned(),
        updated_at: cx.now,
        v: 1,
    }
}

/// Adds the creation of `r` (and its audit entry) to `tx`; its file goes to `source_key`.
pub fn stage(tx: &mut Tx, cx: &Ctx<'_>, r: &ImportRecord) {
    tx.put(item(cx, r), Some(Expr::not_exists()));
    let shown = Import::of(r.clone(), None);
    audit(tx, cx, "import.created", ("import", r.id.as_str()), None, serde_json::to_value(&shown).ok());
}

/// Where an import's file goes in the imports bucket.
pub fn source_key(cx: &Ctx<'_>, id: &ImportId) -> String {
    keys::import_object(cx.scope, id.as_str(), SOURCE)
}

/// A new import and where to upload its file (`text/csv`, exactly `sizeBytes`).
pub async fn create(cx: &Ctx<'_>, blob: &Blob, input: CreateImport) -> Result<Import> {
    let r = new_record(cx, ImportId::new(), &input);
    let key = source_key(cx, &r.id);
    let upload = blob.presign_put(&key, "text/csv", r.size_bytes).await.map_err(|e| Error::Upstream(e.to_string()))?;
    let mut tx = Tx::new();
    stage(&mut tx, cx, &r);
    tx.guard_membership(cx.scope);
    cx.db.transact(tx).await?;
    Ok(Import::of(r, Some(upload)))
}

pub async fn get(cx: &Ctx<'_>, id: &str) -> Result<Import> {
    Ok(Import::of(import_record(cx, id).await?, None))
}

/// Newest first, without their errors (`errorCount` says how many; the import itself lists them).
pub async fn list(cx: &Ctx<'_>, page: PageRequest) -> Result<PageOf<Import>> {
    let (pk, prefix) = keys::imports(cx.scope);
    let got: PageOf<ImportRecord> =
        cx.db.page_of(Query::partition(db::Index::Primary, pk).begins_with(prefix).descending(), page).await?;
    let brief = |r: ImportRecord| Import::of(ImportRecord { errors: Vec::new(), ..r }, None);
    Ok(PageOf { items: got.items.into_iter().map(brief).collect(), last_key: got.last_key })
}

/// Commits a validated dry run: 409 while it has errors, or unless it is a validated dry run.
pub async fn request_commit(cx: &Ctx<'_>, blob: &Blob, id: &str) -> Result<Import> {
    let before = import_record(cx, id).await?;
    match (before.status, before.dry_run) {
        (ImportStatus::Validated, true) if before.error_count == 0 => {}
        (ImportStatus::Validated, _) => {
            let n = before.error_count;
            let errors = if n == 1 { "1 error".to_owned() } else { format!("{n} errors") };
            return Err(Error::Conflict(format!("the file has {errors}: fix them and import it again")));
        }
        (s, _) => {
            let s = serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            return Err(Error::Conflict(format!("only a validated dry run is committed (this one is {s})")));
        }
    }
    // `dryRun` stays true: it says how the import was made (checked first, then committed).
    let after = ImportRecord { status: ImportStatus::Committing, ..before.clone() };
    let after = save::<super::events::ImportCommitted>(cx, &before, after, None).await?;
    let (from, to) = (keys::import_object(cx.scope, id, SOURCE), keys::import_object(cx.scope, id, COMMIT));
    blob.copy(&from, &to).await.map_err(|e| Error::Upstream(e.to_string()))?;
    Ok(Import::of(after, None))
}

/// The template of a kind: its header and example rows.
pub fn template(kind: &str) -> Result<String> {
    ImportKind::parse(kind).map(kinds::template_of).ok_or(Error::NotFound("import template"))
}

/// What `consumer-import` does with an object of the bucket: `source.csv` is validated (and
/// committed unless a dry run), `commit.csv` committed. Answers None for another key.
pub async fn on_object(cx: &Ctx<'_>, blob: &Blob, key: &str) -> Result<Option<ImportRecord>> {
    let mut parts = key.split('/').skip(2);
    let (Some("imports"), Some(id), Some(name), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let record = import_record(cx, id).await?;
    let commit = match (name, record.status) {
        (SOURCE, ImportStatus::Uploading | ImportStatus::Validating) => !record.dry_run,
        (COMMIT, ImportStatus::Committing) => true,
        _ => return Ok(Some(record)),
    };
    let (size, _) = blob.stat(key).await.map_err(|e| Error::Upstream(e.to_string()))?;
    if size != record.size_bytes {
        let why = format!("the file is {size} bytes, {} were declared", record.size_bytes);
        let failed = ImportRecord { status: ImportStatus::Failed, failure: Some(why), ..record.clone() };
        return save::<super::events::ImportValidated>(cx, &record, failed, None).await.map(Some);
    }
    let bytes = blob.head_bytes(key, None, size).await.map_err(|e| Error::Upstream(e.to_string()))?;
    super::run::process(cx, id, &bytes, commit).await.map(Some)
}
