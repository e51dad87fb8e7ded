namespace Text2Lora.Serving.Scheduling;

/// <summary>Which adapter a chat request wants: a cached id, with the description that regenerates it if it was evicted.</summary>
internal sealed record AdapterReference(string Id, string Description);
