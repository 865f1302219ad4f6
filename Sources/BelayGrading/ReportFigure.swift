/// A picture of a submission's own work, as data: what a route computed, in a form any report can draw without
/// knowing the route.
///
/// Three kinds, each with a title, axis labels and a caption:
/// - ``Kind/histogram``: shared bin ``edges`` and one or more ``series`` of counts, with ``markers`` (vertical
///   lines, e.g. a threshold);
/// - ``Kind/bars``: labelled values (``bars``);
/// - ``Kind/intervals``: per row a value beside a reference range (``intervals``).
///
/// Figures are bounded (tens of bins or rows, never one point per protein) and deterministic, so reports stay small
/// and byte-identical under `--reproducible`.
public struct ReportFigure: Sendable, Codable, Equatable {
    /// What kind of chart the figure is.
    public enum Kind: String, Sendable, Codable, Equatable {
        /// Counts over shared bins, one series or several overlaid.
        case histogram
        /// Labelled values, one bar each.
        case bars
        /// A value per row beside a reference range.
        case intervals
    }

    /// How the value axis is scaled.
    public enum Scale: String, Sendable, Codable, Equatable {
        /// Proportional.
        case linear
        /// log10(1 + value): for counts spanning several orders of magnitude (the tail near a threshold).
        case log
    }

    /// A stable id (e.g. `ex3.similarity`), unique within a report.
    public var id: String
    /// The exercise the figure belongs to (drawn under its checks); `nil` for the report as a whole.
    public var exercise: String?
    /// The kind of chart.
    public var kind: Kind
    /// One line naming what is drawn.
    public var title: String
    /// Label of the horizontal axis.
    public var xLabel: String
    /// Label of the vertical axis.
    public var yLabel: String
    /// What to read from the picture, and where its numbers come from.
    public var caption: String
    /// Scale of the value axis.
    public var scale: Scale
    /// Histogram: `bins + 1` increasing bin edges.
    public var edges: [Double]
    /// Histogram: one or more series of `bins` counts each.
    public var series: [FigureSeries]
    /// Histogram: vertical lines at values on the horizontal axis.
    public var markers: [FigureMarker]
    /// Bar chart: the bars in drawing order.
    public var bars: [FigureBar]
    /// Interval plot: the rows in drawing order.
    public var intervals: [FigureInterval]
    /// Interval plot (and optionally bar chart): the value axis' range; `nil` to fit the data.
    public var valueRange: ClosedRange<Double>?

    /// Creates a figure; use ``histogram(id:exercise:title:xLabel:yLabel:caption:edges:series:markers:scale:)``,
    /// ``barChart(id:exercise:title:xLabel:yLabel:caption:bars:valueRange:)`` or
    /// ``intervalPlot(id:exercise:title:xLabel:yLabel:caption:intervals:valueRange:)`` for the usual shapes.
    public init(
        id: String, exercise: String?, kind: Kind, title: String, xLabel: String, yLabel: String, caption: String,
        scale: Scale = .linear, edges: [Double] = [], series: [FigureSeries] = [], markers: [FigureMarker] = [],
        bars: [FigureBar] = [], intervals: [FigureInterval] = [], valueRange: ClosedRange<Double>? = nil
    ) {
        self.id = id
        self.exercise = exercise
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.caption = caption
        self.scale = scale
        self.edges = edges
        self.series = series
        self.markers = markers
        self.bars = bars
        self.intervals = intervals
        self.valueRange = valueRange
    }

    /// A histogram over `edges` (`bins + 1` increasing values) with one or more series of `bins` counts.
    public static func histogram(
        id: String, exercise: String?, title: String, xLabel: String, yLabel: String, caption: String,
        edges: [Double], series: [FigureSeries], markers: [FigureMarker] = [], scale: Scale = .linear
    ) -> ReportFigure {
        ReportFigure(
            id: id, exercise: exercise, kind: .histogram, title: title, xLabel: xLabel, yLabel: yLabel, caption: caption,
            scale: scale, edges: edges, series: series, markers: markers)
    }

    /// A bar chart of labelled values.
    public static func barChart(
        id: String, exercise: String?, title: String, xLabel: String, yLabel: String, caption: String,
        bars: [FigureBar], valueRange: ClosedRange<Double>? = nil
    ) -> ReportFigure {
        ReportFigure(
            id: id, exercise: exercise, kind: .bars, title: title, xLabel: xLabel, yLabel: yLabel, caption: caption,
            bars: bars, valueRange: valueRange)
    }

    /// An interval plot: per row a value beside a reference range.
    public static func intervalPlot(
        id: String, exercise: String?, title: String, xLabel: String, yLabel: String, caption: String,
        intervals: [FigureInterval], valueRange: ClosedRange<Double>? = nil
    ) -> ReportFigure {
        ReportFigure(
            id: id, exercise: exercise, kind: .intervals, title: title, xLabel: xLabel, yLabel: yLabel,
            caption: caption, intervals: intervals, valueRange: valueRange)
    }

    /// Whether the figure has something to draw (bins with counts, bars, rows).
    public var hasData: Bool {
        switch kind {
        case .histogram:
            edges.count >= 2 && series.contains { $0.counts.count == edges.count - 1 }
        case .bars: !bars.isEmpty
        case .intervals: !intervals.isEmpty
        }
    }
}

/// One series of a histogram: a name (for the legend) and a count per bin.
public struct FigureSeries: Sendable, Codable, Equatable {
    /// Legend text.
    public var name: String
    /// One count per bin.
    public var counts: [Double]

    /// Creates a series.
    public init(name: String, counts: [Double]) {
        self.name = name
        self.counts = counts
    }
}

/// A vertical line on a histogram, e.g. the threshold.
public struct FigureMarker: Sendable, Codable, Equatable {
    /// Position on the horizontal axis.
    public var value: Double
    /// Text beside the line.
    public var label: String

    /// Creates a marker.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// One bar of a bar chart.
public struct FigureBar: Sendable, Codable, Equatable {
    /// The bar's label.
    public var label: String
    /// Its value.
    public var value: Double
    /// Optional text drawn after the bar instead of the value (e.g. `12 of 40`).
    public var note: String?

    /// Creates a bar.
    public init(label: String, value: Double, note: String? = nil) {
        self.label = label
        self.value = value
        self.note = note
    }
}

/// One row of an interval plot: a value (the submission's) beside a reference range and centre.
public struct FigureInterval: Sendable, Codable, Equatable {
    /// The row's label.
    public var label: String
    /// The submission's value, when it gave one.
    public var value: Double?
    /// The reference's centre (e.g. a mean), when there is one.
    public var reference: Double?
    /// Lower end of the reference range.
    public var low: Double
    /// Upper end of the reference range.
    public var high: Double
    /// What the range is, e.g. `mean ± 1 sd over 10 seeds`.
    public var rangeLabel: String

    /// Creates a row.
    public init(label: String, value: Double?, reference: Double?, low: Double, high: Double, rangeLabel: String) {
        self.label = label
        self.value = value
        self.reference = reference
        self.low = low
        self.high = high
        self.rangeLabel = rangeLabel
    }
}
