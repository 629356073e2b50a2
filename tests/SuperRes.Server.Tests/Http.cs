using System.Net.Http.Headers;
using System.Text.Json;

namespace SuperRes.Server.Tests;

/// <summary>Request helpers: multipart uploads as a browser or curl sends them, and JSON reads.</summary>
public static class Http
{
    public static MultipartFormDataContent Form(byte[] image, string fileName = "photo.png", params (string Key, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        foreach (var (k, v) in fields)
        {
            form.Add(new StringContent(v), k);
        }
        return form;
    }

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 problem body with the status and returns it.</summary>
    public static async Task<JsonElement> Problem(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Json();
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        return body;
    }

    /// <summary>Follows a job's server-sent events until it finishes; returns every event (name, data).</summary>
    public static async Task<List<(string Event, JsonElement Data)>> FollowJobAsync(HttpClient client, string id)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var response = await client.GetAsync($"/api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<(string, JsonElement)>();
        string? name = null;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(line[6..]);
                events.Add((name!, doc.RootElement.Clone()));
                if (name == "done")
                {
                    break;
                }
            }
        }
        return events;
    }

    /// <summary>Waits (on the job's event stream) until a job is finished, and returns its final view.</summary>
    public static async Task<JsonElement> WaitForJobAsync(HttpClient client, string id) => (await FollowJobAsync(client, id))[^1].Data;
}
