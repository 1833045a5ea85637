//! The list prices the cost model charges: AWS us-east-1, on-demand, no free tier, as published
//! in November 2024 (DynamoDB on-demand after its price cut of 2024-11-01). One table: change a
//! price here and nowhere else.

use rust_decimal::Decimal;

/// A billable line of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Line {
    DynamoWrite,
    DynamoRead,
    DynamoStorage,
    DynamoPitr,
    LambdaRequests,
    LambdaGbSeconds,
    ApiRequests,
    SqsRequests,
    EventBridgeEvents,
    S3PutClass,
    S3GetClass,
    SesEmails,
    KmsRequests,
    XrayTraces,
}

pub struct Price {
    pub line: Line,
    pub label: &'static str,
    /// Dollars per `per` units, as a decimal string (money is never a float).
    pub usd: &'static str,
    pub per: u64,
    pub unit: &'static str,
}

/// The list prices. Sources: aws.amazon.com/{dynamodb,lambda,api-gateway,sqs,eventbridge,s3,
/// ses,kms,xray}/pricing, us-east-1.
pub const PRICES: &[Price] = &[
    Price { line: Line::DynamoWrite, label: "DynamoDB write request units", usd: "0.625", per: 1_000_000, unit: "WRU" },
    Price { line: Line::DynamoRead, label: "DynamoDB read request units", usd: "0.125", per: 1_000_000, unit: "RRU" },
    Price {
        line: Line::DynamoStorage,
        label: "DynamoDB storage (table + GSIs)",
        usd: "0.25",
        per: 1,
        unit: "GB-month",
    },
    Price { line: Line::DynamoPitr, label: "DynamoDB point-in-time recovery", usd: "0.20", per: 1, unit: "GB-month" },
    Price { line: Line::LambdaRequests, label: "Lambda requests", usd: "0.20", per: 1_000_000, unit: "requests" },
    Price { line: Line::LambdaGbSeconds, label: "Lambda duration (arm64)", usd: "0.0000133334", per: 1, unit: "GB-s" },
    Price {
        line: Line::ApiRequests,
        label: "API Gateway HTTP API requests",
        usd: "1.00",
        per: 1_000_000,
        unit: "requests",
    },
    Price { line: Line::SqsRequests, label: "SQS requests (standard)", usd: "0.40", per: 1_000_000, unit: "requests" },
    Price {
        line: Line::EventBridgeEvents,
        label: "EventBridge custom events",
        usd: "1.00",
        per: 1_000_000,
        unit: "events",
    },
    Price {
        line: Line::S3PutClass,
        label: "S3 PUT/COPY/POST/LIST requests",
        usd: "0.005",
        per: 1_000,
        unit: "requests",
    },
    Price { line: Line::S3GetClass, label: "S3 GET/HEAD requests", usd: "0.0004", per: 1_000, unit: "requests" },
    Price { line: Line::SesEmails, label: "SES outbound email", usd: "0.10", per: 1_000, unit: "emails" },
    Price { line: Line::KmsRequests, label: "KMS requests (symmetric)", usd: "0.03", per: 10_000, unit: "requests" },
    Price {
        line: Line::XrayTraces,
        label: "X-Ray traces recorded (Tracing: Active)",
        usd: "5.00",
        per: 1_000_000,
        unit: "traces",
    },
];

/// The target the model is held to: dollars per org-month.
pub const TARGET_PER_ORG_MONTH: &str = "0.05";

impl Price {
    pub fn of(line: Line) -> &'static Price {
        PRICES.iter().find(|p| p.line == line).expect("every line has a price")
    }

    /// The cost of `quantity` units.
    pub fn cost(&self, quantity: Decimal) -> Decimal {
        self.usd.parse::<Decimal>().expect("a decimal price") * quantity / Decimal::from(self.per)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_has_one_price_and_costs_are_exact() {
        for p in PRICES {
            assert_eq!(PRICES.iter().filter(|q| q.line == p.line).count(), 1, "{}", p.label);
            assert!(p.usd.parse::<Decimal>().is_ok(), "{}", p.label);
        }
        assert_eq!(Price::of(Line::DynamoWrite).cost(Decimal::from(1_000_000)), "0.625".parse().unwrap());
        assert_eq!(Price::of(Line::DynamoRead).cost(Decimal::from(8)), "0.000001".parse().unwrap());
        assert_eq!(Price::of(Line::SesEmails).cost(Decimal::from(50)), "0.005".parse().unwrap());
        assert_eq!(Price::of(Line::LambdaGbSeconds).cost(Decimal::from(3)), "0.0000400002".parse().unwrap());
        assert!(TARGET_PER_ORG_MONTH.parse::<Decimal>().is_ok());
    }
}
