using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace SuperRes.Server.Observability;

/// <summary>
/// Shows chosen <see cref="Meter"/> instruments as Prometheus series: a counter as a counter, a histogram as a
/// histogram, an observable gauge as a gauge read at every scrape; "meter_instrument" names, tags as labels.
/// prometheus-net's own MeterAdapter turns counters into gauges that vanish after at most a day without change
/// (a rare rejection counted yesterday would be gone), which is why this small bridge exists.
/// </summary>
public sealed class MeterBridge : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, Collector> series = new();
    private readonly MetricFactory factory;
    private readonly Func<Instrument, double[]?> buckets;

    public MeterBridge(CollectorRegistry registry, Func<Instrument, bool> include, Func<Instrument, double[]?> buckets)
    {
        factory = Metrics.WithCustomRegistry(registry);
        this.buckets = buckets;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (include(instrument))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        registry.AddBeforeCollectCallback(listener.RecordObservableInstruments);
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Label order is fixed by name: a Meter's tags come in any order.
        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var values = Array.ConvertAll(sorted, t => t.Value?.ToString() ?? "");
        var collector = series.GetOrAdd(instrument, i => Create(i, Array.ConvertAll(sorted, t => t.Key)));
        switch (collector)
        {
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                break;
        }
    }

    private Collector Create(Instrument instrument, string[] labels)
    {
        string name = $"{instrument.Meter.Name}_{instrument.Name}";
        string help = instrument.Description ?? name;
        return instrument switch
        {
            Counter<long> or Counter<double> => factory.CreateCounter(name, help, labels),
            Histogram<double> or Histogram<long> => factory.CreateHistogram(name, help, new HistogramConfiguration { LabelNames = labels, Buckets = buckets(instrument) }),
            _ => factory.CreateGauge(name, help, labels),
        };
    }
}
