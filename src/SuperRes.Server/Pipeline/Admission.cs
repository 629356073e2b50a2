using SuperRes.Imaging;

namespace SuperRes.Server.Pipeline;

/// <summary>
/// An input that passed the limits, as read from its header once on the way in: its header (handed on to the decoder,
/// so the file's header is parsed once per request) and the memory it will need at its peak. Travels with the job.
/// </summary>
public sealed record Admission(ImageHeader Header, long PeakBytes);
