//! The catalog of every event type, gathered from each domain's own `events::CATALOG`. It is
//! handed to what checks types against it (webhook subscriptions) and serves
//! `GET /api/v1/event-types` and the OpenAPI document's `webhooks`.

use crate::events::{Catalog, EventSpec};

pub const CATALOG: Catalog = Catalog(&[
    crate::core::events::CATALOG,
    crate::properties::events::CATALOG,
    crate::leasing::events::CATALOG,
    crate::billing::events::CATALOG,
    crate::notify::events::CATALOG,
    crate::documents::events::CATALOG,
    crate::webhooks::events::CATALOG,
    crate::books::events::CATALOG,
    crate::banking::events::CATALOG,
    crate::imports::events::CATALOG,
    crate::integrations::sftp::events::CATALOG,
    crate::integrations::stripe::events::CATALOG,
    crate::reports::events::CATALOG,
    crate::policies::events::CATALOG,
    crate::maintenance::events::CATALOG,
    crate::workflows::events::CATALOG,
]);

/// Every type, in catalog order.
pub fn all() -> impl Iterator<Item = &'static EventSpec> {
    CATALOG.iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{DomainEvent, Event};
    use crate::ids::OrgId;
    use crate::platform::scope::OrgScope;
    use std::collections::BTreeSet;

    #[test]
    fn types_and_payload_names_are_unique_and_well_formed() {
        let types: Vec<&str> = all().map(|s| s.type_).collect();
        assert_eq!(types.iter().collect::<BTreeSet<_>>().len(), types.len(), "a type is listed twice");
        let names: BTreeSet<String> = all().map(|s| (s.name)().into_owned()).collect();
        assert_eq!(names.len(), types.len(), "two payloads share a schema name");
        for t in types {
            let (resource, verb) = t.rsplit_once('.').expect("resource.verb");
            let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            assert!(resource.split('.').all(word) && word(verb), "{t}");
        }
    }

    #[test]
    fn a_pattern_must_name_something_in_the_catalog() {
        for ok in ["*", "payment.received", "payment.*", "member.role_changed", "webhook.*"] {
            assert!(CATALOG.matches_any(ok), "{ok}");
        }
        for bad in ["paymnt.received", "paymnt.*", "payment.receive", "workflow.step.*", "payment.received.*"] {
            assert!(!CATALOG.matches_any(bad), "{bad}");
        }
    }

    #[test]
    fn an_event_round_trips_through_its_envelope_and_decodes_only_as_its_type() {
        use crate::billing::events::{PaymentCleared, PaymentReceived};
        let scope = OrgScope::for_tests(OrgId::new());
        let cleared = PaymentCleared { payment_id: crate::ids::PaymentId::new(), lease_id: crate::ids::LeaseId::new() };
        let e = Event::of(&scope, &cleared, crate::platform::clock::now());
        assert_eq!((e.type_.as_str(), e.version, e.subject.type_.as_str()), ("payment.cleared", 1, "payment"));
        assert_eq!(e.subject.id, cleared.payment_id.to_string());
        let stored: Event = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
        assert_eq!(stored.decode::<PaymentCleared>().unwrap().unwrap(), cleared);
        assert!(stored.decode::<PaymentReceived>().is_none());
        assert_eq!(PaymentCleared::TYPE, "payment.cleared");
    }

    #[test]
    fn events_stored_before_versions_read_as_version_one() {
        let mut v = serde_json::to_value(Event::of(
            &OrgScope::for_tests(OrgId::new()),
            &crate::billing::events::PaymentCleared {
                payment_id: crate::ids::PaymentId::new(),
                lease_id: crate::ids::LeaseId::new(),
            },
            crate::platform::clock::now(),
        ))
        .unwrap();
        v.as_object_mut().unwrap().remove("version");
        assert_eq!(serde_json::from_value::<Event>(v).unwrap().version, 1);
    }
}
