using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Portal.Web.Infrastructure.Csv;

/// <summary>
/// Streams rows to the response as they are read, so an export of half a million rows never sits in
/// memory as one string. UTF-8 with a byte-order mark, which spreadsheet programs need to read names
/// in other scripts correctly.
/// </summary>
public sealed class CsvResult(string fileName, IReadOnlyList<string> header, IAsyncEnumerable<string?[]> rows) : IActionResult
{
    private const int ChunkSize = 64 * 1024;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var ct = context.HttpContext.RequestAborted;
        response.ContentType = "text/csv; charset=utf-8";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(Csv.FileName(fileName));
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";

        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024);
        // Rows gather in a chunk written out at about 64 KB: one await per chunk, not per row.
        var chunk = Csv.AppendRow(new StringBuilder(ChunkSize + 4096), header);
        await foreach (var row in rows.WithCancellation(ct))
        {
            Csv.AppendRow(chunk, row);
            if (chunk.Length < ChunkSize)
                continue;
            await writer.WriteAsync(chunk, ct);
            chunk.Clear();
        }
        await writer.WriteAsync(chunk, ct);
        await writer.FlushAsync(ct);
    }
}
