//! The dashboard's charts, drawn on the server with plotters into SVG: daily spend against
//! revenue, ROAS, impressions and clicks. Each is drawn at two sizes (375 px phones, 1280 px
//! screens; CSS shows one), labelled in the page's language — Arabic digits and month names,
//! time running right to left — and carries a `<title>` and `<desc>` for screen readers. Pages
//! show them as images (`GET /api/ads/charts/…`, see `http/ads.rs`), so the drawings stay out of
//! the page's hydration data; the page carries each chart's title and description as its alt text.

use app::campaigns::model::Chart;
use app::campaigns::money;
use app::i18n::{Lang, translate};
use plotters::prelude::*;

/// One day's figures, in the account's minor units.
#[derive(Clone, Debug, Default)]
pub struct DayPoint {
    pub day: String,
    pub spend: i64,
    pub revenue: i64,
    pub impressions: i64,
    pub clicks: i64,
}

/// A chart drawn at one size: its id (`<chart>-s` or `<chart>-l`), its words and its document.
#[derive(Clone, Debug, Default)]
pub struct Drawn {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub svg: String,
}

/// The page's view of `drawn`: each chart once, with the addresses of both sizes from `src`
/// (given a drawing's id).
pub fn listed(drawn: &[Drawn], src: impl Fn(&str) -> String) -> Vec<Chart> {
    drawn
        .iter()
        .filter_map(|d| {
            let id = d.id.strip_suffix("-s")?;
            Some(Chart {
                id: id.to_owned(),
                title: d.title.clone(),
                desc: d.desc.clone(),
                small: src(&d.id),
                large: src(&format!("{id}-l")),
            })
        })
        .collect()
}

/// The two sizes: (suffix, width, height, x labels).
const SIZES: [(&str, u32, u32, usize); 2] = [("s", 360, 220, 3), ("l", 1200, 300, 8)];

const SPEND: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const REVENUE: RGBColor = RGBColor(0x05, 0x96, 0x69);
const ROAS: RGBColor = RGBColor(0x7c, 0x3a, 0xed);
const CLICKS: RGBColor = RGBColor(0xd9, 0x77, 0x06);

struct Series<'a> {
    key: &'static str,
    color: RGBColor,
    values: Vec<f64>,
    /// On the right-hand axis (clicks, next to impressions).
    secondary: bool,
    label: &'a dyn Fn(f64) -> String,
}

/// All the dashboard's charts for `days` (oldest first), ids `<chart>-<size>`.
pub fn dashboard(prefix: &str, days: &[DayPoint], currency: &str, lang: Lang) -> Vec<Drawn> {
    let money = |v: f64| money::money_whole(v as i64, currency, lang);
    let count = |v: f64| money::count(v as i64, lang);
    let ratio = |v: f64| money::ratio(v, 1, lang);
    let roas: Vec<f64> =
        days.iter().map(|d| if d.spend > 0 { d.revenue as f64 / d.spend as f64 } else { f64::NAN }).collect();
    let charts: [(&str, Vec<Series>); 3] = [
        (
            "spend-revenue",
            vec![
                Series {
                    key: "ads-spend",
                    color: SPEND,
                    values: days.iter().map(|d| d.spend as f64).collect(),
                    secondary: false,
                    label: &money,
                },
                Series {
                    key: "ads-revenue",
                    color: REVENUE,
                    values: days.iter().map(|d| d.revenue as f64).collect(),
                    secondary: false,
                    label: &money,
                },
            ],
        ),
        ("roas", vec![Series { key: "ads-roas", color: ROAS, values: roas, secondary: false, label: &ratio }]),
        (
            "reach",
            vec![
                Series {
                    key: "ads-impressions",
                    color: SPEND,
                    values: days.iter().map(|d| d.impressions as f64).collect(),
                    secondary: false,
                    label: &count,
                },
                Series {
                    key: "ads-clicks",
                    color: CLICKS,
                    values: days.iter().map(|d| d.clicks as f64).collect(),
                    secondary: true,
                    label: &count,
                },
            ],
        ),
    ];
    let labels: Vec<String> = days.iter().map(|d| money::short_day(&d.day, lang)).collect();
    let mut out = Vec::with_capacity(6);
    for (name, series) in &charts {
        for (size, width, height, x_labels) in SIZES {
            let id = format!("{prefix}{name}-{size}");
            out.push(draw(id, name, series, &labels, (width, height), x_labels, lang));
        }
    }
    out
}

/// Messages in (customers') and out (ours) per day, oldest first: `(day, in, out)`.
pub fn messages(days: &[(String, i64, i64)], lang: Lang) -> Vec<Drawn> {
    let count = |v: f64| money::count(v as i64, lang);
    let series = [
        Series {
            key: "analytics-in",
            color: SPEND,
            values: days.iter().map(|d| d.1 as f64).collect(),
            secondary: false,
            label: &count,
        },
        Series {
            key: "analytics-out",
            color: REVENUE,
            values: days.iter().map(|d| d.2 as f64).collect(),
            secondary: false,
            label: &count,
        },
    ];
    let labels: Vec<String> = days.iter().map(|d| money::short_day(&d.0, lang)).collect();
    SIZES
        .iter()
        .map(|&(size, width, height, x_labels)| {
            draw(format!("messages-{size}"), "messages", &series, &labels, (width, height), x_labels, lang)
        })
        .collect()
}

/// The optimiser's history: cumulative revenue of the applied plans' moved campaigns, their
/// forecast, and the equal split's counterfactual, by day (oldest first):
/// `(day, realised, forecast, equal split)`, all cumulative, minor units. Only the drawing
/// `drawn` names (`cumulative-s` or `-l`) is plotted: the history page needs the charts' words
/// alone, and each image request one size.
pub fn cumulative(days: &[(String, f64, f64, f64)], currency: &str, lang: Lang, drawn: Option<&str>) -> Vec<Drawn> {
    let money = |v: f64| money::money_whole(v as i64, currency, lang);
    let series = [
        Series {
            key: "budget-chart-realised",
            color: REVENUE,
            values: days.iter().map(|d| d.1).collect(),
            secondary: false,
            label: &money,
        },
        Series {
            key: "budget-chart-forecast",
            color: ROAS,
            values: days.iter().map(|d| d.2).collect(),
            secondary: false,
            label: &money,
        },
        Series {
            key: "budget-chart-equal",
            color: CLICKS,
            values: days.iter().map(|d| d.3).collect(),
            secondary: false,
            label: &money,
        },
    ];
    let labels: Vec<String> = days.iter().map(|d| money::short_day(&d.0, lang)).collect();
    SIZES
        .iter()
        .map(|&(size, width, height, x_labels)| {
            let id = format!("cumulative-{size}");
            if drawn == Some(id.as_str()) {
                draw(id, "cumulative", &series, &labels, (width, height), x_labels, lang)
            } else {
                let (title, desc) = words("cumulative", &series, &labels, lang);
                Drawn { id, title, desc, svg: String::new() }
            }
        })
        .collect()
}

/// `name` at one size, with its title and description (an empty drawing, logged, if plotters fails).
fn draw(
    id: String,
    name: &str,
    series: &[Series],
    labels: &[String],
    size: (u32, u32),
    x_labels: usize,
    lang: Lang,
) -> Drawn {
    let (title, desc) = words(name, series, labels, lang);
    let svg = match plot(series, labels, size, x_labels, lang) {
        Ok(svg) => accessible(svg, &id, &title, &desc),
        Err(e) => {
            tracing::warn!(chart = name, error = %e, "chart not drawn");
            String::new()
        }
    };
    Drawn { id, title, desc, svg }
}

fn plot(
    series: &[Series],
    labels: &[String],
    size: (u32, u32),
    x_labels: usize,
    lang: Lang,
) -> Result<String, Box<dyn std::error::Error>> {
    let n = labels.len().max(1);
    let top = |secondary: bool| {
        let max = series
            .iter()
            .filter(|s| s.secondary == secondary)
            .flat_map(|s| s.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        if max > 0.0 { max * 1.1 } else { 1.0 }
    };
    // Time runs right to left in Arabic: the x range is reversed.
    let last = (n - 1) as f64;
    let x = if lang == Lang::Ar { last..0.0 } else { 0.0..last };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let font = ("sans-serif", if size.0 < 500 { 11 } else { 13 });
        let primary = series.iter().find(|s| !s.secondary).map(|s| s.label);
        let secondary = series.iter().find(|s| s.secondary);
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(if size.0 < 500 { 64 } else { 92 })
            .right_y_label_area_size(if secondary.is_some() { 56 } else { 0 })
            .build_cartesian_2d(x.clone(), 0.0..top(false))?
            .set_secondary_coord(x, 0.0..top(true));
        let day_label = |v: &f64| labels.get(v.round().max(0.0) as usize).cloned().unwrap_or_default();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xe5, 0xe7, 0xeb))
            .x_labels(x_labels.min(n))
            .y_labels(4)
            .x_label_formatter(&day_label)
            .y_label_formatter(&|v: &f64| primary.map(|f| f(*v)).unwrap_or_default())
            .label_style(font)
            .draw()?;
        if let Some(s) = secondary {
            chart
                .configure_secondary_axes()
                .y_labels(4)
                .y_label_formatter(&|v: &f64| (s.label)(*v))
                .label_style(font)
                .draw()?;
        }
        for s in series {
            let points = s.values.iter().enumerate().filter(|(_, v)| v.is_finite()).map(|(i, v)| (i as f64, *v));
            let style = s.color.stroke_width(2);
            let legend = translate(lang, s.key, None);
            let drawn = if s.secondary {
                chart.draw_secondary_series(LineSeries::new(points, style))?
            } else {
                chart.draw_series(LineSeries::new(points, style))?
            };
            let color = s.color;
            drawn
                .label(legend)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(if lang == Lang::Ar { SeriesLabelPosition::UpperLeft } else { SeriesLabelPosition::UpperRight })
            .background_style(WHITE.mix(0.8))
            .border_style(TRANSPARENT)
            .label_font(font)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// The chart's title, and its description: what is plotted, over which days, its last and
/// highest figures.
fn words(name: &str, series: &[Series], labels: &[String], lang: Lang) -> (String, String) {
    let title = translate(lang, &format!("ads-chart-{name}"), None);
    let range = match (labels.first(), labels.last()) {
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => String::new(),
    };
    let parts: Vec<String> = series
        .iter()
        .map(|s| {
            let finite: Vec<f64> = s.values.iter().copied().filter(|v| v.is_finite()).collect();
            let last = finite.last().map(|v| (s.label)(*v)).unwrap_or_else(|| "—".into());
            let high = finite.iter().copied().fold(f64::NAN, f64::max);
            let high = if high.is_finite() { (s.label)(high) } else { "—".into() };
            format!(
                "{}: {} {last}, {} {high}",
                translate(lang, s.key, None),
                translate(lang, "ads-chart-last", None),
                translate(lang, "ads-chart-high", None)
            )
        })
        .collect();
    (title, format!("{range}. {}", parts.join("; ")))
}

/// Adds `role="img"`, a `<title>` and a `<desc>` to plotters' document.
fn accessible(svg: String, id: &str, title: &str, desc: &str) -> String {
    let head = format!(r#"<svg role="img" aria-labelledby="{id}-t {id}-d" class="chart" "#,);
    let escaped = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let body = svg.replacen("<svg ", &head, 1);
    match body.find('>') {
        Some(end) => format!(
            "{}<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>{}",
            &body[..=end],
            escaped(title),
            escaped(desc),
            &body[end + 1..]
        ),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plotted lines (2 px wide, as the series are drawn): each one's points.
    fn lines(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polyline")
            .skip(1)
            .filter(|p| p.contains(r#"stroke-width="2""#))
            .map(|p| {
                let points = p.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
                points
                    .split_whitespace()
                    .map(|xy| {
                        let (x, y) = xy.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect()
            })
            .collect()
    }

    fn days(n: usize) -> Vec<DayPoint> {
        (0..n)
            .map(|i| DayPoint {
                day: format!("2026-10-{:02}", i + 1),
                spend: 10_000 + i as i64 * 100,
                revenue: 30_000 + i as i64 * 500,
                impressions: 50_000 + i as i64 * 1000,
                clicks: 900 + i as i64 * 10,
            })
            .collect()
    }

    #[test]
    fn each_chart_plots_its_series_with_an_accessible_title_and_description() {
        let charts = dashboard("", &days(28), "USD", Lang::En);
        assert_eq!(charts.len(), 6);
        let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["spend-revenue-s", "spend-revenue-l", "roas-s", "roas-l", "reach-s", "reach-l"]);
        for chart in &charts {
            let svg = &chart.svg;
            assert!(
                svg.starts_with(&format!(r#"<svg role="img" aria-labelledby="{0}-t {0}-d""#, chart.id)),
                "{}",
                &svg[..120]
            );
            assert!(svg.contains(&format!(r#"<title id="{}-t">"#, chart.id)));
            assert!(svg.contains(&format!(r#"<desc id="{}-d">Oct 1 – Oct 28. "#, chart.id)));
            assert!(svg.len() <= 30 * 1024, "{} is {} bytes", chart.id, svg.len());
        }
        let spend = &charts[1].svg;
        // Two lines of 28 points each, then their two legend marks.
        let drawn: Vec<usize> = lines(spend).iter().map(Vec::len).collect();
        assert_eq!(drawn, [28, 28, 2, 2]);
        assert!(
            spend.contains(r##"stroke="#2563EB" stroke-width="2""##)
                && spend.contains(r##"stroke="#059669" stroke-width="2""##)
        );
        // Revenue (three times the spend) is drawn above it: a smaller y on screen.
        let plotted = lines(spend);
        assert!(plotted[1].iter().zip(&plotted[0]).all(|(revenue, spend)| revenue.1 < spend.1));
        assert!(spend.contains("\nSpend\n</text>") && spend.contains("\nRevenue\n</text>"), "legend");
        // The description states the last and highest figures.
        assert!(spend.contains("Spend: last 127 USD, highest 127 USD"), "{}", &spend[..400]);
        assert!(charts[4].svg.contains("\nClicks\n</text>"));
    }

    #[test]
    fn arabic_charts_use_arabic_digits_and_run_right_to_left() {
        let charts = dashboard("", &days(7), "AED", Lang::Ar);
        let svg = &charts[1].svg;
        assert!(svg.contains("أكتوبر"), "Arabic month names");
        assert!(svg.contains('١'), "Arabic-Indic digits");
        // The first day is drawn right of the last one.
        let spend = &lines(svg)[0];
        assert_eq!(spend.len(), 7);
        assert!(spend[0].0 > spend[6].0, "{spend:?}");
    }

    #[test]
    fn days_without_spend_leave_a_gap_in_roas_and_an_empty_period_still_draws() {
        let mut d = days(5);
        d[2].spend = 0;
        let charts = dashboard("", &d, "USD", Lang::En);
        assert_eq!(lines(&charts[3].svg)[0].len(), 4, "no ROAS on the day without spend");
        let empty = dashboard("", &[], "USD", Lang::Es);
        assert!(empty.iter().all(|c| c.svg.contains("<title")));
    }
}
