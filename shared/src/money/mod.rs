//! Money: integer minor units in an ISO 4217 currency, exact to the minor unit. `rust_decimal` is
//! used only at the edges (parsing `"1250.00"`, display, rates); arithmetic is on `i64`.

use rust_decimal::Decimal;
use std::fmt;

/// ISO 4217 active codes with their minor-unit exponent (2 unless listed in `EXPONENT_0/3/4`).
pub const CODES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV \
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP \
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD \
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR \
MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF \
SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH \
UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";
const EXPONENT_0: &str = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const EXPONENT_3: &str = "BHD IQD JOD KWD LYD OMR TND";
const EXPONENT_4: &str = "CLF UYW";

/// An ISO 4217 currency code; construction checks it is a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Option<Self> {
        let b = code.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        CODES.split_ascii_whitespace().any(|c| c == code).then(|| Currency([b[0], b[1], b[2]]))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("currency codes are ASCII")
    }

    /// Digits after the decimal point (JPY 0, USD 2, BHD 3).
    pub fn exponent(&self) -> u32 {
        let code = self.code();
        let listed = |list: &str| list.split_ascii_whitespace().any(|c| c == code);
        if listed(EXPONENT_0) {
            0
        } else if listed(EXPONENT_3) {
            3
        } else if listed(EXPONENT_4) {
            4
        } else {
            2
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Currency::parse(&s).ok_or_else(|| format!("unknown ISO 4217 currency code {s:?}"))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

/// An exact amount: `minor` units of `currency` (1550.00 USD is `155000`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a decimal amount")]
    NotANumber,
    #[error("{currency} has {exponent} decimal places; {given} given")]
    TooPrecise { currency: Currency, exponent: u32, given: u32 },
    #[error("amount out of range")]
    OutOfRange,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Parses a decimal string in `currency`, refusing more decimals than the currency has
    /// (silently rounding an amount someone typed is how ledgers go wrong).
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        let trimmed = amount.trim();
        if trimmed.is_empty() || trimmed.contains(['e', 'E']) || trimmed != amount {
            return Err(MoneyError::NotANumber);
        }
        let d: Decimal = trimmed.parse().map_err(|_| MoneyError::NotANumber)?;
        Money::from_decimal(d, currency)
    }

    pub fn from_decimal(d: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        let exponent = currency.exponent();
        let d = d.normalize();
        if d.scale() > exponent {
            return Err(MoneyError::TooPrecise { currency, exponent, given: d.scale() });
        }
        let minor = d.checked_mul(Decimal::from(10i64.pow(exponent))).ok_or(MoneyError::OutOfRange)?;
        let minor: i64 = minor.trunc().try_into().map_err(|_| MoneyError::OutOfRange)?;
        Ok(Money { minor, currency })
    }

    pub fn to_decimal(&self) -> Decimal {
        Decimal::new(self.minor, self.currency.exponent())
    }

    /// The amount as the API shows it: always with the currency's number of decimals.
    pub fn amount_string(&self) -> String {
        let mut d = self.to_decimal();
        d.rescale(self.currency.exponent());
        d.to_string()
    }
}

/// Money on the wire: `{"amount": "1250.00", "currency": "USD"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyDto {
    /// Decimal string with at most the currency's number of decimals.
    #[schema(example = "1250.00")]
    pub amount: String,
    /// ISO 4217 code.
    #[schema(example = "USD")]
    pub currency: String,
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> Self {
        MoneyDto { amount: m.amount_string(), currency: m.currency.code().to_owned() }
    }
}

impl MoneyDto {
    /// Validates input into `Money`, naming `field` in the error. Input amounts are unsigned
    /// (`1250.00`, never `+1250.00` or `-5`): a credit is its own charge kind, so a sign in input
    /// never means anything.
    pub fn to_money(&self, field: &str) -> Result<Money, crate::FieldError> {
        let currency = Currency::parse(&self.currency)
            .ok_or_else(|| crate::FieldError::new(format!("{field}.currency"), "unknown ISO 4217 currency code"))?;
        if !crate::validation::amount::is_unsigned_decimal(&self.amount) {
            return Err(crate::FieldError::new(
                format!("{field}.amount"),
                format!("must be {}", crate::validation::amount::EXPECTED),
            ));
        }
        Money::parse(&self.amount, currency)
            .map_err(|e| crate::FieldError::new(format!("{field}.amount"), e.to_string()))
    }
}

// The OpenAPI schema of money in requests: the wire shape of `MoneyDto` (whose amounts in
// responses may be negative: credits, balances), with what the input rules enforce. Only a
// schema: input fields stay `MoneyDto` and name it with `value_type`.
/// Money in a request: a real ISO 4217 currency and an unsigned amount of more than zero with at
/// most the currency's number of decimals (JPY none, USD 2, BHD 3), under 10^15 minor units. (A deposit or a market rent may also be 0; a credit is its own charge kind.)
#[allow(dead_code)]
pub struct MoneyInput;

impl MoneyInput {
    /// The pattern of a positive amount in a currency of `exponent` decimals, under 10^15 minor
    /// units (`billing::model::MAX_MINOR`): so at most 15 − exponent digits before the point.
    pub fn amount_pattern(exponent: u32) -> String {
        let more = 14 - exponent;
        match exponent {
            0 => format!("^[1-9][0-9]{{0,{more}}}$"),
            e => format!("^([1-9][0-9]{{0,{more}}}(\\.[0-9]{{1,{e}}})?|0\\.[0-9]{{0,{}}}[1-9])$", e - 1),
        }
    }
}

impl utoipa::PartialSchema for MoneyInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        let mut one_of = OneOfBuilder::new().description(Some(
            "Money in a request: a decimal amount of more than zero with at most the currency's number of decimals.",
        ));
        for exponent in [0, 2, 3, 4] {
            let codes: Vec<&str> = CODES
                .split_ascii_whitespace()
                .filter(|c| Currency::parse(c).is_some_and(|c| c.exponent() == exponent))
                .collect();
            let amount = ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(MoneyInput::amount_pattern(exponent)))
                .examples([if exponent == 0 {
                    "1250".to_owned()
                } else {
                    format!("1250.{}", "0".repeat(exponent as usize))
                }]);
            let currency = ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(codes))
                .description(Some(format!("ISO 4217: a currency of {exponent} decimals.")));
            one_of = one_of.item(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("amount", amount)
                    .property("currency", currency)
                    .required("amount")
                    .required("currency")
                    .additional_properties(Some(AdditionalProperties::FreeForm(false))),
            );
        }
        one_of.into()
    }
}

impl utoipa::ToSchema for MoneyInput {}

/// Stored form: minor units as a DynamoDB number plus the code, so conditions and `ADD` are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredMoney {
    pub minor: i64,
    pub currency: Currency,
}

impl From<Money> for StoredMoney {
    fn from(m: Money) -> Self {
        StoredMoney { minor: m.minor, currency: m.currency }
    }
}

impl From<StoredMoney> for Money {
    fn from(m: StoredMoney) -> Self {
        Money { minor: m.minor, currency: m.currency }
    }
}

/// An ISO 4217 currency code (schema only).
pub struct CurrencyCode;
impl utoipa::PartialSchema for CurrencyCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::validation::schema::one_of(CODES, "ISO 4217.")
    }
}
impl utoipa::ToSchema for CurrencyCode {}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(cur("JPY").exponent(), 0);
        assert_eq!(cur("USD").exponent(), 2);
        assert_eq!(cur("BHD").exponent(), 3);
        assert_eq!(cur("CLF").exponent(), 4);
        assert!(Currency::parse("XXX1").is_none());
        assert!(Currency::parse("usd").is_none());
        assert!(Currency::parse("ABC").is_none());
    }

    #[test]
    fn parses_to_exact_minor_units() {
        for (s, c, minor) in [
            ("1550.00", "USD", 155000),
            ("1550", "USD", 155000),
            ("0.1", "USD", 10),
            ("1200", "JPY", 1200),
            ("1.234", "BHD", 1234),
            ("-5.5", "EUR", -550),
        ] {
            assert_eq!(Money::parse(s, cur(c)).unwrap().minor, minor, "{s} {c}");
        }
    }

    #[test]
    fn refuses_more_decimals_than_the_currency_has() {
        assert!(matches!(Money::parse("10.001", cur("USD")), Err(MoneyError::TooPrecise { .. })));
        assert!(matches!(Money::parse("10.5", cur("JPY")), Err(MoneyError::TooPrecise { .. })));
        assert_eq!(Money::parse("10.500", cur("USD")).unwrap().minor, 1050);
        for bad in ["", "abc", "1e3", " 1", "1,000.00", "NaN"] {
            assert!(Money::parse(bad, cur("USD")).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn input_amounts_have_no_sign() {
        let dto = |a: &str| MoneyDto { amount: a.into(), currency: "USD".into() };
        assert_eq!(dto("1550.00").to_money("amount").unwrap().minor, 155000);
        for bad in ["+1550.00", "-1550.00", "-0", "+0", "1e3", ".5", "1."] {
            let e = dto(bad).to_money("rent").unwrap_err();
            assert_eq!(e.field, "rent.amount", "{bad}");
            assert!(e.message.contains("without a sign"), "{bad}: {}", e.message);
        }
        // Every amount the schema's patterns allow in a currency `to_money` takes, and a
        // currency of more decimals takes whatever one of fewer does.
        let doc = serde_json::to_value(<MoneyInput as utoipa::PartialSchema>::schema()).unwrap();
        for branch in doc["oneOf"].as_array().unwrap() {
            let re = regex_lite::Regex::new(branch["properties"]["amount"]["pattern"].as_str().unwrap()).unwrap();
            for code in branch["properties"]["currency"]["enum"].as_array().unwrap() {
                let code = code.as_str().unwrap();
                for amount in [
                    "1",
                    "1250",
                    "1250.5",
                    "0.05",
                    "0.5",
                    "0.001",
                    "1.0001",
                    "99999999999",
                    "999999999999999",
                    "0",
                    "01",
                ] {
                    let m = MoneyDto { amount: amount.into(), currency: code.into() }.to_money("amount");
                    if re.is_match(amount) {
                        assert!(m.is_ok_and(|m| m.minor > 0 && m.minor < 1_000_000_000_000_000), "{amount} {code}");
                    }
                }
            }
        }
    }

    #[test]
    fn displays_with_the_currency_decimals() {
        assert_eq!(Money::new(155000, cur("USD")).amount_string(), "1550.00");
        assert_eq!(Money::new(5, cur("USD")).amount_string(), "0.05");
        assert_eq!(Money::new(1200, cur("JPY")).amount_string(), "1200");
        assert_eq!(Money::new(1234, cur("BHD")).amount_string(), "1.234");
    }
}
