//! The owner pack: a monthly owner report as a PDF drawn in Rust (printpdf) with its font
//! embedded (DejaVu Sans): a summary page (the portfolio's NOI, billed and collected with the
//! collection rate, occupancy and delinquency at the month's end, the cash flow, each
//! building's NOI) and one page per building (its figures and a 12-month NOI chart with the
//! values printed under it). Every figure is the one the report routes answer for the month:
//! NOI, billed and collected on the same bases as the P&L and the KPI mart, occupancy and
//! delinquency as of the month's last day. Money is printed from decimal strings; only the
//! chart's bar heights are drawn in floating point.

use super::pnl::{base_value, month_end, month_start, noi_minor, recognized, Basis, Month};
use crate::books::chart::AccountType;
use crate::books::model::{Account, EntryRecord};
use crate::books::{accounts, reads};
use crate::money::{Currency, Money, MoneyDto};
use crate::platform::ctx::Ctx;
use crate::{Error, Result};
use chrono::NaiveDate;
use printpdf::{Color, IndirectFontRef, Line, Mm, PdfDocument, PdfLayerReference, Point, Rect, Rgb};
use std::collections::BTreeMap;

/// One property's (or the portfolio's) figures of the month, in the base currency's minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub income: i64,
    pub operating_expenses: i64,
    pub noi: i64,
    /// Accrual income of the month (what was charged).
    pub billed: i64,
    /// Cash income of the month (what was paid for it).
    pub collected: i64,
    pub units: u32,
    pub occupied: u32,
    pub delinquent: i64,
}

#[derive(Debug, Clone)]
pub struct BuildingPage {
    pub name: String,
    pub address: String,
    pub figures: Figures,
    /// The 12 months ending with the report's, oldest first: `YYYY-MM` and NOI.
    pub noi_months: Vec<(String, i64)>,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub org: String,
    pub month: Month,
    pub base: Currency,
    pub portfolio: Figures,
    /// Per currency: opening, in, out, closing (decimal strings).
    pub cash: Vec<(String, [String; 4])>,
    pub buildings: Vec<BuildingPage>,
    /// One building's pack.
    pub single: bool,
}

/// The month's P&L figures of each key (a building id, or none) on `basis`.
fn by_key(
    (entries, chart): (&[EntryRecord], &BTreeMap<String, Account>),
    basis: Basis,
    span: (NaiveDate, NaiveDate),
    base: Currency,
) -> ByKey {
    let mut out: ByKey = BTreeMap::new();
    let amounts = recognized(entries, chart, basis, span, |l| base_value(l, base).map(|v| (l.building_id.clone(), v)));
    for ((b, m, code), v) in amounts {
        *out.entry((b, m)).or_default().entry(code).or_default() += v;
    }
    out
}

fn income(by_account: &BTreeMap<String, i64>, chart: &BTreeMap<String, Account>) -> i64 {
    -by_account
        .iter()
        .filter(|(c, _)| chart.get(*c).is_some_and(|a| a.type_ == AccountType::Income))
        .map(|(_, v)| v)
        .sum::<i64>()
}

/// Per key (a building id, or none) and month: the P&L amounts by account.
type ByKey = BTreeMap<(Option<String>, Month), BTreeMap<String, i64>>;

/// The month's figures of one key (`None`: every key) from the cash and accrual amounts.
fn month_figures(
    (cash, accrual): (&ByKey, &ByKey),
    key: Option<Option<&str>>,
    month: Month,
    chart: &BTreeMap<String, Account>,
) -> Figures {
    let pick = |m: &ByKey| {
        let mut sum: BTreeMap<String, i64> = BTreeMap::new();
        for ((b, m2), accts) in m {
            if *m2 == month && key.is_none_or(|k| b.as_deref() == k) {
                for (c, v) in accts {
                    *sum.entry(c.clone()).or_default() += v;
                }
            }
        }
        sum
    };
    let cash = pick(cash);
    let noi = noi_minor(&cash, chart);
    let inc = income(&cash, chart);
    Figures {
        income: inc,
        operating_expenses: inc - noi,
        noi,
        billed: income(&pick(accrual), chart),
        collected: inc,
        ..Figures::default()
    }
}

/// Gathers the pack of the month ending `to` (of one building when `building` is given: its
/// figures are the summary's, and its page the only one) (each domain asked through its own reads).
pub async fn gather(cx: &Ctx<'_>, to: NaiveDate, building: Option<&str>) -> Result<Pack> {
    let org = crate::core::orgs::get_org(cx).await?;
    let base = org.base_currency;
    let month: Month = (chrono::Datelike::year(&to), chrono::Datelike::month(&to));
    let (first, last) = (month_start(month), month_end(month));
    let year_ago = if month.1 == 12 { (month.0, 1) } else { (month.0 - 1, month.1 + 1) };
    let (chart, entries) = (accounts::chart(cx).await?, reads::all_entries(cx).await?);
    let books = (entries.as_slice(), &chart);
    let cash_12 = by_key(books, Basis::Cash, (month_start(year_ago), last), base);
    let accrual = by_key(books, Basis::Accrual, (first, last), base);
    let occupancy = crate::leasing::occupancy::occupancy(cx, last).await?;
    let delinquency = crate::billing::delinquency::from_ledgers(cx, base, last).await?;
    let units = crate::properties::units::all_units(cx).await?;
    let building_of: BTreeMap<String, String> =
        units.iter().map(|u| (u.id.to_string(), u.building_id.to_string())).collect();
    let mut owed: BTreeMap<String, i64> = BTreeMap::new();
    for l in delinquency.leases.iter().filter(|l| l.currency == base.code()) {
        let total = l.aging.total.to_money("total").map_or(0, |m| m.minor);
        *owed.entry(building_of.get(&l.unit_id.to_string()).cloned().unwrap_or_default()).or_default() += total;
    }
    let figures = |key: Option<Option<&str>>| month_figures((&cash_12, &accrual), key, month, &chart);
    let buildings: Vec<_> = crate::properties::buildings::all_buildings(cx)
        .await?
        .into_iter()
        .filter(|b| building.map_or(!b.archived, |id| b.id.as_str() == id))
        .collect();
    let mut pages: Vec<BuildingPage> = buildings
        .iter()
        .map(|b| {
            let id = b.id.to_string();
            let mut f = figures(Some(Some(&id)));
            if let Some(o) = occupancy.buildings.iter().find(|o| o.building_id == b.id) {
                (f.units, f.occupied) = (o.counts.units, o.counts.occupied);
            }
            f.delinquent = owed.get(&id).copied().unwrap_or(0);
            page(b, f, (&cash_12, (year_ago, month)), &chart)
        })
        .collect();
    pages.sort_by_key(|b| b.name.to_lowercase());
    let portfolio = match (building, pages.first()) {
        (Some(_), Some(only)) => only.figures.clone(),
        _ => {
            let mut p = figures(None);
            (p.units, p.occupied) = (occupancy.portfolio.units, occupancy.portfolio.occupied);
            p.delinquent = delinquency.base_total.as_ref().and_then(|m| m.to_money("d").ok()).map_or(0, |m| m.minor);
            p
        }
    };
    let flow = super::cash_flow::cash_flow(&entries, &chart, (first, last), building);
    let cash = flow
        .currencies
        .iter()
        .filter_map(|c| {
            let m = c.months.first()?;
            Some((c.currency.clone(), [&m.opening, &m.total_in, &m.total_out, &m.closing].map(|x| x.amount.clone())))
        })
        .collect();
    let buildings = pages;
    Ok(Pack { org: org.name, month, base, portfolio, cash, buildings, single: building.is_some() })
}

/// A building's page: its figures and the NOI of the 12 months `span`.
fn page(
    b: &crate::properties::model::Building,
    figures: Figures,
    (cash_12, span): (&ByKey, (Month, Month)),
    chart: &BTreeMap<String, Account>,
) -> BuildingPage {
    let id = b.id.to_string();
    let noi_months = super::cash_flow::months_between(span.0, span.1)
        .into_iter()
        .map(|m| {
            let accts = cash_12.get(&(Some(id.clone()), m)).cloned().unwrap_or_default();
            (format!("{:04}-{:02}", m.0, m.1), noi_minor(&accts, chart))
        })
        .collect();
    let a = &b.address;
    let address = [
        Some(a.line1.as_str()),
        a.line2.as_deref(),
        Some(a.city.as_str()),
        a.region.as_deref(),
        Some(a.postal_code.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    BuildingPage { name: b.name.clone(), address, figures, noi_months }
}

/// `collected / billed` in percent with one decimal, or "n/a".
pub fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "n/a".into();
    }
    let r = (rust_decimal::Decimal::from(part) * rust_decimal::Decimal::from(100) / rust_decimal::Decimal::from(whole))
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{r:.1}%")
}

struct Page<'a> {
    layer: PdfLayerReference,
    font: &'a IndirectFontRef,
    bold: &'a IndirectFontRef,
    y: f32,
}

impl Page<'_> {
    fn text(&mut self, s: &str, size: f32, bold: bool) {
        self.layer.use_text(s, size, Mm(20.0), Mm(self.y), if bold { self.bold } else { self.font });
        self.y -= size * 0.5 + 2.5;
    }

    fn row(&mut self, label: &str, value: &str) {
        self.layer.use_text(label, 10.0, Mm(20.0), Mm(self.y), self.font);
        self.layer.use_text(value, 10.0, Mm(110.0), Mm(self.y), self.font);
        self.y -= 6.0;
    }

    fn gap(&mut self) {
        self.y -= 4.0;
    }
}

fn money(minor: i64, c: Currency) -> String {
    format!("{} {}", MoneyDto::from(Money::new(minor, c)).amount, c.code())
}

fn figure_rows(p: &mut Page<'_>, f: &Figures, c: Currency) {
    p.row("Net operating income (NOI)", &money(f.noi, c));
    p.row("Income received", &money(f.income, c));
    p.row("Operating expenses paid", &money(f.operating_expenses, c));
    p.row("Billed (charged this month)", &money(f.billed, c));
    p.row("Collected (paid this month)", &money(f.collected, c));
    p.row("Collection rate", &percent(f.collected, f.billed));
    p.row(
        "Occupancy at month end",
        &format!("{} of {} units ({})", f.occupied, f.units, percent(i64::from(f.occupied), i64::from(f.units))),
    );
    p.row("Delinquent at month end", &money(f.delinquent, c));
}

/// Twelve bars of NOI (negative ones below the axis), the values listed under the chart.
fn chart(p: &mut Page<'_>, months: &[(String, i64)], c: Currency) {
    let (left, width, height) = (25.0f32, 160.0f32, 50.0f32);
    let max = months.iter().map(|(_, v)| v.abs()).max().unwrap_or(0).max(1);
    let any_negative = months.iter().any(|(_, v)| *v < 0);
    let axis = if any_negative { p.y - height / 2.0 } else { p.y - height };
    let scale = if any_negative { height / 2.0 } else { height };
    let slot = width / months.len().max(1) as f32;
    p.layer.set_fill_color(Color::Rgb(Rgb::new(0.16, 0.38, 0.62, None)));
    for (i, (_, v)) in months.iter().enumerate() {
        // Geometry only: the bar's share of the largest month.
        let h = (*v as f64 / max as f64) as f32 * scale;
        let x = left + slot * i as f32 + slot * 0.15;
        let (y1, y2) = if h >= 0.0 { (axis, axis + h) } else { (axis + h, axis) };
        if (y2 - y1).abs() > 0.01 {
            p.layer.add_rect(Rect::new(Mm(x), Mm(y1), Mm(x + slot * 0.7), Mm(y2)));
        }
    }
    p.layer.set_fill_color(Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)));
    p.layer.add_line(Line {
        points: vec![(Point::new(Mm(left), Mm(axis)), false), (Point::new(Mm(left + width), Mm(axis)), false)],
        is_closed: false,
    });
    for (i, (label, _)) in months.iter().enumerate() {
        p.layer.use_text(&label[2..], 6.5, Mm(left + slot * i as f32 + slot * 0.1), Mm(p.y - height - 5.0), p.font);
    }
    p.y -= height + 12.0;
    for (label, v) in months {
        p.layer.use_text(format!("NOI {label}"), 8.0, Mm(20.0), Mm(p.y), p.font);
        p.layer.use_text(money(*v, c), 8.0, Mm(110.0), Mm(p.y), p.font);
        p.y -= 4.5;
    }
}

fn pdf_err(e: impl std::fmt::Display) -> Error {
    Error::Store(crate::platform::db::DbError::Unavailable(format!("writing the PDF: {e}")))
}

/// The pack as a PDF: a summary page, then one page per building.
pub fn render(pack: &Pack) -> Result<Vec<u8>> {
    let month =
        chrono::NaiveDate::from_ymd_opt(pack.month.0, pack.month.1, 1).expect("a month").format("%B %Y").to_string();
    let title = format!("Owner report {month}");
    let (doc, page, layer) = PdfDocument::new(&title, Mm(210.0), Mm(297.0), "content");
    let font = doc.add_external_font(std::io::Cursor::new(dejavu::sans::regular())).map_err(pdf_err)?;
    let bold = doc.add_external_font(std::io::Cursor::new(dejavu::sans::bold())).map_err(pdf_err)?;
    let c = pack.base;
    let mut p = Page { layer: doc.get_page(page).get_layer(layer), font: &font, bold: &bold, y: 275.0 };
    p.text(&format!("{} — owner report, {month}", pack.org), 16.0, true);
    p.text(if pack.single { "Building summary" } else { "Portfolio summary" }, 12.0, true);
    figure_rows(&mut p, &pack.portfolio, c);
    p.gap();
    p.text("Cash flow", 12.0, true);
    for (currency, [opening, total_in, total_out, closing]) in &pack.cash {
        p.row(&format!("Opening cash ({currency})"), &format!("{opening} {currency}"));
        p.row("Money in", &format!("{total_in} {currency}"));
        p.row("Money out", &format!("{total_out} {currency}"));
        p.row("Closing cash", &format!("{closing} {currency}"));
    }
    p.gap();
    p.text("Buildings", 12.0, true);
    for b in &pack.buildings {
        let year: i64 = b.noi_months.iter().map(|(_, v)| v).sum();
        p.row(&b.name, &format!("NOI {} (12 months {})", money(b.figures.noi, c), money(year, c)));
    }
    for b in &pack.buildings {
        let (page, layer) = doc.add_page(Mm(210.0), Mm(297.0), "content");
        let mut p = Page { layer: doc.get_page(page).get_layer(layer), font: &font, bold: &bold, y: 275.0 };
        p.text(&b.name, 16.0, true);
        p.text(&b.address, 10.0, false);
        p.gap();
        p.text(&month, 12.0, true);
        figure_rows(&mut p, &b.figures, c);
        p.gap();
        p.text("NOI, last 12 months", 12.0, true);
        chart(&mut p, &b.noi_months, c);
    }
    doc.save_to_bytes().map_err(pdf_err)
}
