//! Secrets at rest: values we must give back later (webhook signing secrets) are encrypted with
//! a KMS key before they are stored, under an encryption context that binds each ciphertext to
//! its purpose and owner (a ciphertext copied to another item or org does not decrypt). Only the
//! function that creates a secret may encrypt with the key, and only the one that uses it may
//! decrypt (the template's IAM policies); the key id comes from the environment.

/// The encryption context `purpose` of webhook signing secrets (the IAM policies require it).
pub const WEBHOOK_SIGNING_PURPOSE: &str = "webhook-signing-secret";
/// The encryption context `purpose` of vendors' tax ids (SSN/EIN), kept for 1099 filing.
pub const VENDOR_TAX_ID_PURPOSE: &str = "vendor-tax-id";
/// The encryption context `purpose` of Plaid access tokens (one per connected bank).
pub const PLAID_ACCESS_TOKEN_PURPOSE: &str = "plaid-access-token";
/// The encryption context `purpose` of the private keys orgs give us for their SFTP servers.
pub const SFTP_PRIVATE_KEY_PURPOSE: &str = "sftp-private-key";

use aws_sdk_kms::primitives::Blob;
use base64::Engine;

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("no KMS key is configured for {0}")]
    NoKey(&'static str),
    #[error("KMS: {0}")]
    Kms(String),
    #[error("a stored secret is not a valid ciphertext")]
    Corrupt,
}

/// KMS encryption of small secrets with one key.
#[derive(Clone, Debug)]
pub struct Secrets {
    client: aws_sdk_kms::Client,
    key_id: Option<String>,
    purpose: &'static str,
}

impl Secrets {
    /// `purpose` names what the key protects (it is part of every encryption context, and the
    /// IAM policies require it).
    pub fn new(sdk: &aws_config::SdkConfig, key_id: Option<String>, purpose: &'static str) -> Secrets {
        Secrets { client: aws_sdk_kms::Client::new(sdk), key_id, purpose }
    }

    fn key(&self) -> Result<&str, SecretsError> {
        self.key_id.as_deref().ok_or(SecretsError::NoKey(self.purpose))
    }

    fn context(&self, owner: &[(&'static str, &str)]) -> Vec<(String, String)> {
        std::iter::once(("purpose", self.purpose))
            .chain(owner.iter().copied())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    /// The ciphertext of `plaintext` (base64), bound to `owner` (e.g. org and webhook ids).
    pub async fn encrypt(&self, plaintext: &str, owner: &[(&'static str, &str)]) -> Result<String, SecretsError> {
        let mut req = self.client.encrypt().key_id(self.key()?).plaintext(Blob::new(plaintext.as_bytes()));
        for (k, v) in self.context(owner) {
            req = req.encryption_context(k, v);
        }
        let out =
            req.send().await.map_err(|e| SecretsError::Kms(aws_sdk_kms::error::DisplayErrorContext(e).to_string()))?;
        let blob = out.ciphertext_blob.ok_or_else(|| SecretsError::Kms("no ciphertext in the answer".into()))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(blob.as_ref()))
    }

    /// The plaintext of a ciphertext `encrypt` made for the same `owner`.
    pub async fn decrypt(&self, ciphertext: &str, owner: &[(&'static str, &str)]) -> Result<String, SecretsError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(ciphertext).map_err(|_| SecretsError::Corrupt)?;
        let mut req = self.client.decrypt().key_id(self.key()?).ciphertext_blob(Blob::new(bytes));
        for (k, v) in self.context(owner) {
            req = req.encryption_context(k, v);
        }
        let out =
            req.send().await.map_err(|e| SecretsError::Kms(aws_sdk_kms::error::DisplayErrorContext(e).to_string()))?;
        let plain = out.plaintext.ok_or_else(|| SecretsError::Kms("no plaintext in the answer".into()))?;
        String::from_utf8(plain.into_inner()).map_err(|_| SecretsError::Corrupt)
    }
}
