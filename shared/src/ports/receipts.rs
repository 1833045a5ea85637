//! Reading a receipt: vendor, date, total and how sure the reader is. Production: Textract
//! `AnalyzeExpense` on the S3 object (its `ExpenseDocuments[].SummaryFields`, REFERENCE §C3);
//! locally the same client talks to the fake in `infra/fakes/textract_server.py`
//! (`TEXTRACT_ENDPOINT_URL`), since the emulator does not implement it.

use super::{PortError, PortFuture};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What a receipt says, as far as it could be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReceiptFields {
    pub vendor_name: Option<String>,
    pub date: Option<NaiveDate>,
    pub total: Option<Decimal>,
    /// The lowest confidence (0–100) of the fields read.
    pub confidence: Option<Decimal>,
}

impl ReceiptFields {
    pub fn is_empty(&self) -> bool {
        self.vendor_name.is_none() && self.date.is_none() && self.total.is_none()
    }
}

/// Why a receipt could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The document itself cannot be read (unsupported, damaged, too large): trying again will
    /// not help; the receipt is kept and marked.
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// The reader failed or could not be reached: try again later.
    #[error(transparent)]
    Unavailable(PortError),
}

/// Reads receipts stored in S3.
pub trait ReceiptReader: Send + Sync {
    fn read<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
    ) -> PortFuture<'a, Result<ReceiptFields, ReadError>>;
}

/// Textract.
pub struct Textract {
    client: aws_sdk_textract::Client,
}

impl Textract {
    /// `endpoint`: a local stand-in (`TEXTRACT_ENDPOINT_URL`); AWS's own endpoint when `None`.
    pub fn new(sdk: &aws_config::SdkConfig, endpoint: Option<&str>) -> Textract {
        let mut conf = aws_sdk_textract::config::Builder::from(sdk);
        if let Some(url) = endpoint {
            conf = conf.endpoint_url(url);
        }
        Textract { client: aws_sdk_textract::Client::from_conf(conf.build()) }
    }
}

impl ReceiptReader for Textract {
    fn read<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        version: Option<&'a str>,
    ) -> PortFuture<'a, Result<ReceiptFields, ReadError>> {
        use aws_sdk_textract::operation::analyze_expense::AnalyzeExpenseError as E;
        use aws_sdk_textract::types::{Document, S3Object};
        Box::pin(async move {
            let object = S3Object::builder().bucket(bucket).name(key).set_version(version.map(str::to_owned)).build();
            let out =
                self.client.analyze_expense().document(Document::builder().s3_object(object).build()).send().await;
            let out = match out {
                Ok(out) => out,
                Err(e) => {
                    let text = aws_sdk_textract::error::DisplayErrorContext(&e).to_string();
                    return Err(match e.as_service_error() {
                        Some(
                            E::UnsupportedDocumentException(_)
                            | E::BadDocumentException(_)
                            | E::DocumentTooLargeException(_)
                            | E::InvalidS3ObjectException(_),
                        ) => ReadError::Unreadable(text),
                        _ => ReadError::Unavailable(PortError::new("textract", text)),
                    });
                }
            };
            let mut fields = Vec::new();
            for doc in out.expense_documents.unwrap_or_default() {
                for f in doc.summary_fields.unwrap_or_default() {
                    let kind = f.r#type.and_then(|t| t.text).unwrap_or_default();
                    if let Some(v) = f.value_detection {
                        fields.push((kind, v.text.unwrap_or_default(), v.confidence.unwrap_or(0.0)));
                    }
                }
            }
            Ok(summarize(&fields))
        })
    }
}

/// The fields of a receipt from Textract's summary fields `(type, text, confidence)`; the first
/// of each type wins.
pub fn summarize(fields: &[(String, String, f32)]) -> ReceiptFields {
    let mut out = ReceiptFields::default();
    let mut lowest: Option<Decimal> = None;
    for (kind, text, conf) in fields {
        let text = text.trim();
        let used = match kind.as_str() {
            "VENDOR_NAME" if out.vendor_name.is_none() && !text.is_empty() => {
                out.vendor_name = Some(text.chars().take(200).collect());
                true
            }
            "INVOICE_RECEIPT_DATE" if out.date.is_none() => {
                out.date = parse_date(text);
                out.date.is_some()
            }
            "TOTAL" if out.total.is_none() => {
                out.total = parse_amount(text);
                out.total.is_some()
            }
            _ => false,
        };
        if used {
            let c = Decimal::from_f32_retain(*conf).unwrap_or_default().round_dp(1);
            lowest = Some(lowest.map_or(c, |l| l.min(c)));
        }
    }
    out.confidence = lowest;
    out
}

/// `2026-03-09`, `03/09/2026` or `3/9/2026` (US order).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%m/%d/%Y")).ok()
}

/// `$1,234.56`, `1234.56`, `USD 12.00` → the decimal (never a float).
pub fn parse_amount(s: &str) -> Option<Decimal> {
    let cleaned: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
    let d: Decimal = cleaned.parse().ok()?;
    (d > Decimal::ZERO).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_fields_become_vendor_date_total_and_the_lowest_confidence() {
        let f = |k: &str, v: &str, c: f32| (k.to_owned(), v.to_owned(), c);
        let got = summarize(&[
            f("VENDOR_NAME", "Acme Plumbing", 97.4),
            f("INVOICE_RECEIPT_DATE", "03/09/2026", 95.8),
            f("TOTAL", "$1,234.56", 96.3),
            f("TOTAL", "$9.99", 99.0),
            f("OTHER", "x", 10.0),
        ]);
        assert_eq!(got.vendor_name.as_deref(), Some("Acme Plumbing"));
        assert_eq!(got.date, NaiveDate::from_ymd_opt(2026, 3, 9));
        assert_eq!(got.total, Some("1234.56".parse().unwrap()));
        assert_eq!(got.confidence, Some("95.8".parse().unwrap()));
        assert!(summarize(&[f("TOTAL", "free", 99.0)]).is_empty());
        assert_eq!(parse_date("2026-13-01"), None);
    }
}
