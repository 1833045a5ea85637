//! Where a rule applies: a country code and a region code. A building's address names its region
//! in free text (`New York`, `ny`, `England`); rules are matched on a code (`NY`, `ENG`).

/// US states and DC by name.
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
];

/// The UK's nations (ISO 3166-2:GB codes).
const GB_NATIONS: &[(&str, &str)] =
    &[("ENG", "England"), ("SCT", "Scotland"), ("WLS", "Wales"), ("NIR", "Northern Ireland")];

/// The country code as rules name it (upper case).
pub fn country_code(country: &str) -> String {
    country.trim().to_ascii_uppercase()
}

/// The region code rules name for `region` in `country`: a known name or code becomes its code
/// (`New York` → `NY`, `us-ny` → `NY`), anything else its trimmed upper-case self; blank: none.
pub fn region_code(country: &str, region: Option<&str>) -> Option<String> {
    let r = region.map(str::trim).filter(|r| !r.is_empty())?;
    let country = country_code(country);
    let r = r
        .strip_prefix(&format!("{country}-"))
        .or_else(|| r.strip_prefix(&format!("{}-", country.to_lowercase())))
        .unwrap_or(r);
    let table = match country.as_str() {
        "US" => US_STATES,
        "GB" => GB_NATIONS,
        _ => &[],
    };
    let found = table.iter().find(|(code, name)| code.eq_ignore_ascii_case(r) || name.eq_ignore_ascii_case(r));
    Some(found.map_or_else(|| r.to_uppercase(), |(code, _)| (*code).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_become_codes() {
        assert_eq!(region_code("US", Some("New York")).as_deref(), Some("NY"));
        assert_eq!(region_code("us", Some(" ny ")).as_deref(), Some("NY"));
        assert_eq!(region_code("US", Some("US-CA")).as_deref(), Some("CA"));
        assert_eq!(region_code("GB", Some("england")).as_deref(), Some("ENG"));
        assert_eq!(region_code("DE", Some("Berlin")).as_deref(), Some("BERLIN"));
        assert_eq!(region_code("US", Some("  ")), None);
        assert_eq!(region_code("US", None), None);
    }
}
