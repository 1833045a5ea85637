//! Use cases for documents: presigned uploads under the org's prefix, new versions that keep the
//! old ones, the post-upload check (size and magic bytes) that makes a version available, short
//! presigned downloads, and obligations from expiry dates.

use super::events::{DocumentCreated, DocumentRejected, DocumentUploaded, DocumentVersionCreated};
use super::model::*;
use super::sniff;
use crate::events;
use crate::ids::{BuildingId, DocumentId, LeaseId, TenantId, UnitId};
use crate::platform::blob::{Blob, BlobError};
use crate::platform::ctx::Ctx;
use crate::platform::db::{self, from_item, keys, n, s, Expr, Item, ItemBuilder, PageOf, PageRequest, Query, Tx};
use crate::platform::scope::OrgScope;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

fn blob_err(e: BlobError) -> Error {
    tracing::error!(error = %e, "object store failure");
    Error::Store(db::DbError::Unavailable(e.to_string()))
}

/// The key of the subject's item, if such subjects exist yet (expenses arrive with billing).
fn subject_key(scope: &OrgScope, subject: &DocumentSubject) -> Result<db::Key> {
    let missing = Error::NotFound("subject");
    Ok(match subject.type_ {
        SubjectType::Lease => keys::lease(scope, &LeaseId::parse(&subject.id).ok_or(missing)?),
        SubjectType::Building => keys::building(scope, &BuildingId::parse(&subject.id).ok_or(missing)?),
        SubjectType::Unit => keys::unit(scope, &UnitId::parse(&subject.id).ok_or(missing)?),
        SubjectType::Tenant => keys::tenant(scope, &TenantId::parse(&subject.id).ok_or(missing)?),
        SubjectType::Maintenance => {
            keys::maintenance(scope, &crate::ids::MaintenanceId::parse(&subject.id).ok_or(missing)?)
        }
        SubjectType::Expense | SubjectType::Workflow => return Err(missing),
    })
}

fn meta_item(scope: &OrgScope, d: &DocumentRecord) -> Item {
    let (g1pk, g1sk) = keys::document_gsi1(scope, d.subject.type_.as_str(), &d.subject.id, &d.id);
    ItemBuilder::new(DOCUMENT_ENTITY, &keys::document(scope, &d.id), d).gsi1(g1pk, g1sk).build()
}

fn version_item(scope: &OrgScope, id: &DocumentId, v: &DocumentVersion) -> Item {
    let mut item = ItemBuilder::new(VERSION_ENTITY, &keys::document_version(scope, id, v.version), v).build();
    item.insert("objectKey".into(), s(keys::document_object(scope, id, v.version)));
    item
}

fn obligation_key(scope: &OrgScope, id: &DocumentId, due: NaiveDate) -> db::Key {
    db::Key { pk: keys::document_partition(scope, id), sk: format!("OBL#{due}") }
}

fn obligation_item(scope: &OrgScope, id: &DocumentId, o: &Obligation) -> Item {
    let (g2pk, g2sk) = keys::obligation_gsi2(scope, o.due_on, id.as_str());
    ItemBuilder::new(OBLIGATION_ENTITY, &obligation_key(scope, id, o.due_on), o).gsi2(g2pk, g2sk).build()
}

fn new_version(version: u32, content_type: &str, size: u64, scope: &OrgScope, now: DateTime<Utc>) -> DocumentVersion {
    DocumentVersion {
        version,
        status: VersionStatus::Pending,
        content_type: content_type.to_owned(),
        size_bytes: size,
        rejected_reason: None,
        created_at: now,
        created_by: scope.actor_id().to_owned(),
        checked_at: None,
        object_version_id: None,
    }
}

/// Creates a document and its first version; answers with the upload to perform.
pub async fn create_document(cx: &Ctx<'_>, blob: &Blob, input: CreateDocument) -> Result<Document> {
    let subject_key = subject_key(cx.scope, &input.subject)?;
    let now = cx.now;
    let d = DocumentRecord {
        id: DocumentId::new(),
        subject: input.subject,
        name: input.name.trim().to_owned(),
        expires_on: input.expires_on,
        latest_version: 1,
        latest_available: None,
        created_at: now,
        updated_at: now,
        created_by: cx.scope.actor_id().to_owned(),
    };
    let v = new_version(1, &input.content_type, input.size_bytes, cx.scope, cx.now);
    let mut tx = Tx::new();
    let subject_idx = tx.check(subject_key, Expr::exists());
    tx.put(meta_item(cx.scope, &d), Some(Expr::not_exists()));
    tx.put(version_item(cx.scope, &d.id, &v), Some(Expr::not_exists()));
    if let Some(due) = d.expires_on {
        tx.put(obligation_item(cx.scope, &d.id, &Obligation::open(&d.id, &d.name, &d.subject, due)), None);
    }
    let created = DocumentCreated {
        document_id: d.id.clone(),
        subject: d.subject.clone(),
        name: d.name.clone(),
        version: 1,
        content_type: v.content_type.clone(),
        size_bytes: v.size_bytes,
        expires_on: d.expires_on,
    };
    events::emit(&mut tx, cx.scope, &created);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(idx) if idx.contains(&subject_idx) => Error::NotFound("subject"),
        _ => e.into(),
    })?;
    let upload = blob
        .presign_put(&keys::document_object(cx.scope, &d.id, 1), &v.content_type, v.size_bytes)
        .await
        .map_err(blob_err)?;
    Ok(Document {
        id: d.id,
        subject: d.subject,
        name: d.name,
        expires_on: d.expires_on,
        latest_version: 1,
        versions: vec![v],
        download: None,
        upload: Some(upload),
        created_at: d.created_at,
        updated_at: d.updated_at,
    })
}

struct Loaded {
    meta: DocumentRecord,
    versions: Vec<DocumentVersion>,
    obligations: Vec<Obligation>,
}

/// The document's whole partition (meta, versions, obligations) in one query.
async fn load(cx: &Ctx<'_>, id: &str) -> Result<(DocumentId, Loaded)> {
    let id = DocumentId::parse(id).ok_or(Error::NotFound("document"))?;
    let items = cx.db.query_all(Query::partition(db::Index::Primary, keys::document_partition(cx.scope, &id))).await?;
    let (mut meta, mut versions, mut obligations) = (None, Vec::new(), Vec::new());
    for item in items {
        match item.get("entity").and_then(|e| e.as_s().ok()).map(String::as_str) {
            Some(DOCUMENT_ENTITY) => meta = Some(from_item::<DocumentRecord>(item)?),
            Some(VERSION_ENTITY) => versions.push(from_item::<DocumentVersion>(item)?),
            Some(OBLIGATION_ENTITY) => obligations.push(from_item::<Obligation>(item)?),
            _ => {}
        }
    }
    let meta = meta.ok_or(Error::NotFound("document"))?;
    versions.sort_by_key(|v| v.version);
    Ok((id, Loaded { meta, versions, obligations }))
}

/// Metadata, every version, and a download link (≤ 5 minutes) for the latest available one.
pub async fn get_document(cx: &Ctx<'_>, blob: &Blob, id: &str) -> Result<Document> {
    let (id, l) = load(cx, id).await?;
    let download = match l.meta.latest_available {
        Some(v) => {
            let object_version =
                l.versions.iter().find(|x| x.version == v).and_then(|x| x.object_version_id.as_deref());
            let key = keys::document_object(cx.scope, &id, v);
            let (url, expires_at) = blob.presign_get(&key, object_version, &l.meta.name).await.map_err(blob_err)?;
            Some(Download { version: v, url, expires_at })
        }
        None => None,
    };
    Ok(Document {
        id,
        subject: l.meta.subject,
        name: l.meta.name,
        expires_on: l.meta.expires_on,
        latest_version: l.meta.latest_version,
        versions: l.versions,
        download,
        upload: None,
        created_at: l.meta.created_at,
        updated_at: l.meta.updated_at,
    })
}

/// A new version (earlier ones are kept); a new expiry fulfils the open obligation.
pub async fn create_version(cx: &Ctx<'_>, blob: &Blob, id: &str, input: CreateVersion) -> Result<Document> {
    let (id, l) = load(cx, id).await?;
    let next = l.meta.latest_version + 1;
    let v = new_version(next, &input.content_type, input.size_bytes, cx.scope, cx.now);
    let now = cx.now;
    let mut tx = Tx::new();
    let mut sets = vec![
        ("latestVersion", n(next.into())),
        ("updatedAt", serde_dynamo::to_attribute_value(now).expect("timestamps serialize")),
    ];
    if let Some(due) = input.expires_on {
        sets.push(("expiresOn", s(due.to_string())));
    }
    let cond = Expr::new("latestVersion = :prev").value(":prev", n(l.meta.latest_version.into()));
    tx.update(keys::document(cx.scope, &id), Expr::set(sets), Some(cond));
    tx.put(version_item(cx.scope, &id, &v), Some(Expr::not_exists()));
    if let Some(due) = input.expires_on {
        for open in l.obligations.iter().filter(|o| o.status == ObligationStatus::Open && o.due_on != due) {
            let done =
                Obligation { status: ObligationStatus::Fulfilled, fulfilled_by_version: Some(next), ..open.clone() };
            tx.put(obligation_item(cx.scope, &id, &done), None);
        }
        tx.put(obligation_item(cx.scope, &id, &Obligation::open(&id, &l.meta.name, &l.meta.subject, due)), None);
    }
    let created = DocumentVersionCreated {
        document_id: id.clone(),
        version: next,
        content_type: v.content_type.clone(),
        size_bytes: v.size_bytes,
        expires_on: input.expires_on,
    };
    events::emit(&mut tx, cx.scope, &created);
    cx.db.transact(tx).await.map_err(|e| match e.failed_conditions() {
        Some(_) => Error::Conflict("another version was added concurrently; retry".into()),
        None => e.into(),
    })?;
    let upload = blob
        .presign_put(&keys::document_object(cx.scope, &id, next), &v.content_type, v.size_bytes)
        .await
        .map_err(blob_err)?;
    let mut versions = l.versions;
    versions.push(v);
    Ok(Document {
        id,
        subject: l.meta.subject,
        name: l.meta.name,
        expires_on: input.expires_on.or(l.meta.expires_on),
        latest_version: next,
        versions,
        download: None,
        upload: Some(upload),
        created_at: l.meta.created_at,
        updated_at: now,
    })
}

/// The documents of one subject.
pub async fn list_documents(
    cx: &Ctx<'_>,
    subject_type: SubjectType,
    subject_id: &str,
    page: PageRequest,
) -> Result<PageOf<DocumentSummary>> {
    let pk = keys::documents_of_subject(cx.scope, subject_type.as_str(), subject_id);
    let records: PageOf<DocumentRecord> = cx.db.page_of(Query::partition(db::Index::Gsi1, pk), page).await?;
    Ok(PageOf { items: records.items.into_iter().map(DocumentSummary::from).collect(), last_key: records.last_key })
}

/// Obligations due before `due_before`: open ones first, each group by due date.
pub async fn obligations(cx: &Ctx<'_>, due_before: NaiveDate) -> Result<Vec<Obligation>> {
    let items = cx
        .db
        .query_all(Query::partition(db::Index::Gsi2, keys::obligations(cx.scope)).before(due_before.to_string()))
        .await?;
    let mut out: Vec<Obligation> = items.into_iter().map(from_item).collect::<std::result::Result<_, _>>()?;
    out.sort_by_key(|o| (o.status != ObligationStatus::Open, o.due_on));
    Ok(out)
}

/// What the upload check decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    Available,
    Rejected(String),
    /// Already decided (a redelivered notification), or nothing to check.
    Skipped(&'static str),
}

/// The stored object's size and version, and whether it is what was declared (size, then the
/// magic bytes of its first bytes); None when the object is gone.
async fn inspect(
    blob: &Blob,
    key: &str,
    v: &DocumentVersion,
) -> Result<Option<(u64, Option<String>, std::result::Result<(), String>)>> {
    let (size, object_version) = match blob.stat(key).await {
        Ok(s) => s,
        Err(BlobError::NotFound) => return Ok(None),
        Err(e) => return Err(blob_err(e)),
    };
    if size != v.size_bytes {
        return Ok(Some((size, object_version, Err(format!("size is {size} bytes, {} were declared", v.size_bytes)))));
    }
    let head = blob.head_bytes(key, object_version.as_deref(), sniff::SNIFF_BYTES).await.map_err(blob_err)?;
    let verdict = match sniff::matches(&v.content_type, &head) {
        true => Ok(()),
        false => Err(format!("the file is not {}", v.content_type)),
    };
    Ok(Some((size, object_version, verdict)))
}

/// `document.uploaded` or `document.rejected` for a checked version.
fn emit_checked(
    tx: &mut Tx,
    scope: &OrgScope,
    (id, version): (&DocumentId, u32),
    content_type: &str,
    size_bytes: u64,
    verdict: &std::result::Result<(), String>,
) {
    let (document_id, content_type) = (id.clone(), content_type.to_owned());
    match verdict {
        Ok(()) => events::emit(tx, scope, &DocumentUploaded { document_id, version, content_type, size_bytes }),
        Err(reason) => {
            let reason = reason.clone();
            events::emit(tx, scope, &DocumentRejected { document_id, version, content_type, size_bytes, reason })
        }
    };
}

/// Checks an uploaded version against what was declared (size, magic bytes), marks it available
/// or rejected, and emits `document.uploaded` / `document.rejected` in the same transaction.
/// Safe to run twice for the same object.
pub async fn check_upload(cx: &Ctx<'_>, blob: &Blob, id: &DocumentId, version: u32) -> Result<CheckOutcome> {
    let Some(v) = cx.db.get_as::<DocumentVersion>(&keys::document_version(cx.scope, id, version)).await? else {
        return Ok(CheckOutcome::Skipped("no such document version"));
    };
    if v.status != VersionStatus::Pending {
        return Ok(CheckOutcome::Skipped("already checked"));
    }
    let key = keys::document_object(cx.scope, id, version);
    let Some((size, object_version, verdict)) = inspect(blob, &key, &v).await? else {
        return Ok(CheckOutcome::Skipped("object is gone"));
    };
    let now = cx.now;
    let status = if verdict.is_ok() { VersionStatus::Available } else { VersionStatus::Rejected };
    let mut sets = vec![
        ("status", s(status.as_str())),
        ("checkedAt", serde_dynamo::to_attribute_value(now).expect("timestamps serialize")),
    ];
    if let Err(reason) = &verdict {
        sets.push(("rejectedReason", s(reason.clone())));
    }
    if let Some(vid) = &object_version {
        sets.push(("objectVersionId", s(vid.clone())));
    }
    // The document points at its newest available version: never backwards, even when checks of
    // two versions finish out of order (then the older one commits without moving the pointer).
    for advance in [verdict.is_ok(), false] {
        let mut tx = Tx::new();
        let pending =
            Expr::new("#st = :pending").name("#st", "status").value(":pending", s(VersionStatus::Pending.as_str()));
        tx.update(keys::document_version(cx.scope, id, version), Expr::set(sets.clone()), Some(pending));
        let pointer = advance.then(|| {
            let newer =
                Expr::new("attribute_exists(PK) AND (attribute_not_exists(latestAvailable) OR latestAvailable < :v)")
                    .value(":v", n(version.into()));
            tx.update(keys::document(cx.scope, id), Expr::set([("latestAvailable", n(version.into()))]), Some(newer))
        });
        emit_checked(&mut tx, cx.scope, (id, version), &v.content_type, size, &verdict);
        match cx.db.transact(tx).await {
            Ok(()) => {
                return Ok(match &verdict {
                    Ok(()) => CheckOutcome::Available,
                    Err(reason) => CheckOutcome::Rejected(reason.clone()),
                })
            }
            Err(e) => match e.failed_conditions() {
                Some(idx) if pointer.is_some_and(|p| idx == [p]) => continue,
                Some(_) => return Ok(CheckOutcome::Skipped("checked concurrently")),
                None => return Err(e.into()),
            },
        }
    }
    Ok(CheckOutcome::Skipped("checked concurrently"))
}

/// `org/<orgId>/documents/<documentId>/v<n>` → its parts (keys come URL-encoded in S3 events).
pub fn parse_object_key(key: &str) -> Option<(crate::ids::OrgId, DocumentId, u32)> {
    let parts: Vec<&str> = key.split('/').collect();
    match parts.as_slice() {
        ["org", org, "documents", doc, v] => {
            Some((crate::ids::OrgId::parse(org)?, DocumentId::parse(doc)?, v.strip_prefix('v')?.parse().ok()?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_keys_parse_only_in_the_documents_layout() {
        let org = crate::ids::OrgId::new();
        let doc = DocumentId::new();
        assert_eq!(parse_object_key(&format!("org/{org}/documents/{doc}/v3")), Some((org.clone(), doc.clone(), 3)));
        assert_eq!(parse_object_key(&format!("org/{org}/documents/{doc}/3")), None);
        assert_eq!(parse_object_key(&format!("org/{org}/receipts/{doc}/v3")), None);
        assert_eq!(parse_object_key("org/x/documents/y/v1"), None);
    }
}
