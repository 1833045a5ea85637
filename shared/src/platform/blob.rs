//! Files in S3: presigned uploads restricted to one key, content type and size; short presigned
//! downloads; and the reads the upload checker needs (size, first bytes). Every key passed here
//! was built by `db::keys` under `org/<orgId>/`.

use super::scope::OrgScope;
use crate::ids::OrgId;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::Client;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::time::Duration;

/// How long an upload URL stays valid.
pub const UPLOAD_TTL: Duration = Duration::from_secs(15 * 60);
/// How long a download URL stays valid (≤ 5 minutes).
pub const DOWNLOAD_TTL: Duration = Duration::from_secs(5 * 60);

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("no such object")]
    NotFound,
    #[error("S3: {0}")]
    Unavailable(String),
}

/// What a client needs to upload: PUT the bytes to `url` with exactly `headers`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PresignedUpload {
    #[schema(example = "PUT")]
    pub method: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct Blob {
    client: Client,
    bucket: String,
}

impl Blob {
    pub fn new(sdk: &aws_config::SdkConfig, bucket: &str, force_path_style: bool) -> Blob {
        let conf = aws_sdk_s3::config::Builder::from(sdk).force_path_style(force_path_style).build();
        Blob { client: Client::from_conf(conf), bucket: bucket.to_owned() }
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The object an S3 notification record names, if it is in this bucket under
    /// `org/<orgId>/`; `None` for another bucket or any other key.
    pub fn own_object(&self, record: &aws_lambda_events::s3::S3EventRecord) -> Option<OwnObject> {
        if record.s3.bucket.name.as_deref() != Some(self.bucket.as_str()) {
            return None;
        }
        let key = decode_key(record.s3.object.key.as_deref()?);
        let org = key.strip_prefix("org/")?.split('/').next()?;
        let org_id = OrgId::parse(org)?;
        Some(OwnObject { org_id, key })
    }

    /// Writes `body` to `key` (a file the functions make: an export).
    pub async fn put(&self, key: &str, body: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(aws_sdk_s3::primitives::ByteStream::from(body))
            .send()
            .await
            .map_err(|e| BlobError::Unavailable(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok(())
    }

    /// A PUT URL for exactly `key`, signed over the content type and length.
    pub async fn presign_put(&self, key: &str, content_type: &str, size: u64) -> Result<PresignedUpload, BlobError> {
        let cfg = PresigningConfig::expires_in(UPLOAD_TTL).map_err(|e| BlobError::Unavailable(e.to_string()))?;
        let req = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(size as i64)
            .presigned(cfg)
            .await
            .map_err(|e| BlobError::Unavailable(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        let headers = req.headers().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        Ok(PresignedUpload {
            method: req.method().to_owned(),
            url: req.uri().to_owned(),
            headers,
            expires_at: super::clock::now() + UPLOAD_TTL,
        })
    }

    /// A GET URL for `key` (pinned to one S3 object version when given), valid for
    /// `DOWNLOAD_TTL`, that downloads as `filename`.
    pub async fn presign_get(
        &self,
        key: &str,
        version: Option<&str>,
        filename: &str,
    ) -> Result<(String, DateTime<Utc>), BlobError> {
        let cfg = PresigningConfig::expires_in(DOWNLOAD_TTL).map_err(|e| BlobError::Unavailable(e.to_string()))?;
        let safe: String = filename.chars().filter(|c| !c.is_control() && *c != '"' && *c != '\\').collect();
        let req = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .set_version_id(version.map(str::to_owned))
            .response_content_disposition(format!("attachment; filename=\"{safe}\""))
            .presigned(cfg)
            .await
            .map_err(|e| BlobError::Unavailable(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok((req.uri().to_owned(), super::clock::now() + DOWNLOAD_TTL))
    }

    /// The current object's size and S3 version id (the bucket is versioned: a later PUT to the
    /// same key makes a new version and leaves this one readable).
    pub async fn stat(&self, key: &str) -> Result<(u64, Option<String>), BlobError> {
        match self.client.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(out) => Ok((out.content_length.unwrap_or_default().max(0) as u64, out.version_id)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Err(BlobError::NotFound),
            Err(e) => Err(BlobError::Unavailable(aws_sdk_s3::error::DisplayErrorContext(e).to_string())),
        }
    }

    /// A copy of `from` at `to` (same bucket).
    pub async fn copy(&self, from: &str, to: &str) -> Result<(), BlobError> {
        self.client
            .copy_object()
            .bucket(&self.bucket)
            .copy_source(format!("{}/{from}", self.bucket))
            .key(to)
            .send()
            .await
            .map_err(|e| BlobError::Unavailable(aws_sdk_s3::error::DisplayErrorContext(e).to_string()))?;
        Ok(())
    }

    /// Up to the first `n` bytes of the object (of one version when given).
    pub async fn head_bytes(&self, key: &str, version: Option<&str>, n: u64) -> Result<Vec<u8>, BlobError> {
        let out = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .set_version_id(version.map(str::to_owned))
            .range(format!("bytes=0-{}", n.saturating_sub(1)))
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(s) if s.is_no_such_key() => BlobError::NotFound,
                _ => BlobError::Unavailable(aws_sdk_s3::error::DisplayErrorContext(e).to_string()),
            })?;
        let bytes = out.body.collect().await.map_err(|e| BlobError::Unavailable(e.to_string()))?;
        let mut v = bytes.into_bytes().to_vec();
        v.truncate(n as usize);
        Ok(v)
    }
}

/// An object in our own bucket under `org/<orgId>/…`, as an S3 notification named it: the org it
/// speaks for is the one whose prefix it was written under (uploads are presigned for exactly
/// such keys). Only `Blob::own_object` builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnObject {
    org_id: OrgId,
    key: String,
}

impl OwnObject {
    pub fn org_id(&self) -> &OrgId {
        &self.org_id
    }

    /// The object key, URL-decoded.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// `system:<name>` acting inside the object's org.
    pub fn scope(&self, name: &'static str) -> OrgScope {
        OrgScope::system(self.org_id.clone(), name)
    }
}

/// S3 event keys are URL-encoded (`+` for space).
fn decode_key(key: &str) -> String {
    let b = key.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match std::str::from_utf8(&b[i + 1..i + 3]).map(|h| u8::from_str_radix(h, 16)) {
                Ok(Ok(v)) => {
                    out.push(v);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob() -> Blob {
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .build();
        Blob::new(&sdk, "ours", true)
    }

    fn record(bucket: &str, key: &str) -> aws_lambda_events::s3::S3EventRecord {
        let mut r = aws_lambda_events::s3::S3EventRecord::default();
        r.s3.bucket.name = Some(bucket.to_owned());
        r.s3.object.key = Some(key.to_owned());
        r
    }

    #[test]
    fn keys_are_url_decoded() {
        assert_eq!(decode_key("org/a/b+c%2Fd"), "org/a/b c/d");
        assert_eq!(decode_key("plain"), "plain");
        assert_eq!(decode_key("bad%zz"), "bad%zz");
        assert_eq!(decode_key("%é1"), "%é1");
    }

    #[test]
    fn only_objects_under_an_org_prefix_of_our_bucket_speak_for_that_org() {
        let org = OrgId::new();
        let o = blob().own_object(&record("ours", &format!("org%2F{org}%2Fdocuments%2Fx%2Fv1"))).expect("ours");
        assert_eq!((o.org_id(), o.key()), (&org, format!("org/{org}/documents/x/v1").as_str()));
        let s = o.scope("document-checker");
        assert_eq!((s.org_id(), s.actor_id()), (&org, "system:document-checker"));
        assert!(blob().own_object(&record("theirs", &format!("org/{org}/documents/x/v1"))).is_none());
        assert!(blob().own_object(&record("ours", &format!("tmp/{org}/x"))).is_none());
        assert!(blob().own_object(&record("ours", "org/not-an-org/x")).is_none());
        assert!(blob().own_object(&aws_lambda_events::s3::S3EventRecord::default()).is_none());
    }
}
