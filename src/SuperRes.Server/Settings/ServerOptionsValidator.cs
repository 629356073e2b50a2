using Microsoft.Extensions.Options;

namespace SuperRes.Server.Settings;

/// <summary>Every section's rules, checked once at start-up (the options validation source generator writes it).</summary>
[OptionsValidator]
public sealed partial class ServerOptionsValidator : IValidateOptions<ServerOptions>;
