using System.Text.Json.Nodes;

namespace Portal.Tests.Support;

/// <summary>
/// The CSAF 2.0 mandatory tests (section 6.1) that apply to what the portal produces, on top of the
/// schema: the schema cannot say that product ids are defined once and referenced only when defined,
/// or that the revision history is complete and ends at the document's version.
/// </summary>
public static class CsafChecks
{
    /// <summary>Schema and mandatory tests; returns the parsed document for further assertions.</summary>
    public static async Task<JsonNode> ShouldBeValidDocumentAsync(string json)
    {
        await CsafSchema.ShouldBeValidAsync(CsafSchema.Document, json);
        var document = JsonNode.Parse(json)!;
        var problems = MandatoryTestFailures(document);
        if (problems.Count > 0)
            throw new ShouldAssertException("The CSAF document fails mandatory tests:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        return document;
    }

    public static IReadOnlyList<string> MandatoryTestFailures(JsonNode csaf)
    {
        var problems = new List<string>();
        var defined = new List<string>();
        CollectProducts(csaf["product_tree"]?["branches"]?.AsArray(), defined, problems);
        foreach (var name in csaf["product_tree"]?["full_product_names"]?.AsArray() ?? [])
            defined.Add((string)name!["product_id"]!);
        foreach (var duplicate in defined.GroupBy(id => id).Where(g => g.Count() > 1))
            problems.Add($"6.1.2 product id {duplicate.Key} is defined {duplicate.Count()} times");

        var referenced = new List<string>();
        foreach (var (vulnerability, index) in (csaf["vulnerabilities"]?.AsArray() ?? []).Select((v, i) => (v!, i)))
        {
            if (vulnerability["notes"] is not JsonArray { Count: > 0 })
                problems.Add($"6.1.27.5 vulnerability {index} has no notes");
            if (vulnerability["product_status"] is not JsonObject status)
            {
                problems.Add($"6.1.27.6 vulnerability {index} has no product_status");
                continue;
            }
            var groupOf = new Dictionary<string, string>();
            foreach (var (key, ids) in status)
            {
                var group = key switch
                {
                    "first_affected" or "known_affected" or "last_affected" => "affected",
                    "known_not_affected" => "not affected",
                    "first_fixed" or "fixed" => "fixed",
                    "under_investigation" => "under investigation",
                    _ => null,
                };
                foreach (var id in ids!.AsArray().Select(i => (string)i!))
                {
                    referenced.Add(id);
                    if (group is null) continue;
                    if (groupOf.TryGetValue(id, out var other) && other != group)
                        problems.Add($"6.1.6 product {id} is both {other} and {group} in vulnerability {index}");
                    groupOf[id] = group;
                }
            }
            foreach (var remediation in vulnerability["remediations"]?.AsArray() ?? [])
            {
                var ids = remediation!["product_ids"]?.AsArray();
                if (ids is null && remediation["group_ids"] is null)
                    problems.Add($"6.1.29 a remediation of vulnerability {index} names no product");
                referenced.AddRange(ids?.Select(i => (string)i!) ?? []);
            }
            foreach (var threat in vulnerability["threats"]?.AsArray() ?? [])
                referenced.AddRange(threat!["product_ids"]?.AsArray().Select(i => (string)i!) ?? []);
        }
        foreach (var missing in referenced.Distinct().Except(defined))
            problems.Add($"6.1.1 product id {missing} is referenced but not defined");
        foreach (var unused in defined.Except(referenced))
            problems.Add($"6.2.1 product id {unused} is defined but never referenced");

        if ((string?)csaf["document"]?["category"] == "csaf_security_advisory")
        {
            if (csaf["product_tree"] is null) problems.Add("6.1.27.4 a security advisory needs a product tree");
            if (csaf["vulnerabilities"] is not JsonArray { Count: > 0 }) problems.Add("6.1.27.3 a security advisory needs vulnerabilities");
        }

        var tracking = csaf["document"]!["tracking"]!;
        var history = tracking["revision_history"]!.AsArray()
            .Select(h => (Number: int.Parse((string)h!["number"]!), Date: DateTimeOffset.Parse((string)h["date"]!))).ToList();
        if (!history.Select(h => h.Number).SequenceEqual(history.Select(h => h.Number).Order()))
            problems.Add("6.1.14 the revision history is not sorted by number");
        if (history.Select(h => h.Number).Distinct().Count() != history.Count)
            problems.Add("6.1.22 a revision number appears twice in the revision history");
        if (!history.Select(h => h.Number).Order().SequenceEqual(Enumerable.Range(1, history.Count)))
            problems.Add("6.1.21 the revision history is not 1..n without gaps");
        if (history.Count > 0 && history.Max(h => h.Number).ToString() != (string)tracking["version"]!)
            problems.Add($"6.1.16 tracking.version {(string)tracking["version"]!} is not the last revision number {history.Max(h => h.Number)}");
        if ((string)tracking["status"]! is "final" or "interim" && history.Any(h => h.Number == 0))
            problems.Add("6.1.18 a released document lists revision 0");
        var current = DateTimeOffset.Parse((string)tracking["current_release_date"]!);
        if (history.Count > 0 && current < history.Max(h => h.Date))
            problems.Add("6.2.5 current_release_date is older than the revision history");
        if (history.Count > 0 && DateTimeOffset.Parse((string)tracking["initial_release_date"]!) != history.Min(h => h.Date))
            problems.Add("initial_release_date is not the first revision's date");
        return problems;
    }

    private static void CollectProducts(JsonArray? branches, List<string> defined, List<string> problems)
    {
        foreach (var branch in branches ?? [])
        {
            if ((string?)branch!["category"] == "product_version" && ((string)branch["name"]!).IndexOfAny(['<', '>', '*']) >= 0)
                problems.Add($"6.1.31 product_version branch {(string)branch["name"]!} holds a range");
            if (branch["product"] is { } product)
                defined.Add((string)product["product_id"]!);
            CollectProducts(branch["branches"]?.AsArray(), defined, problems);
        }
    }
}
