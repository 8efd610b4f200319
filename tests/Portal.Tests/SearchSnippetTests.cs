using Portal.Web.Infrastructure.Web;

namespace Portal.Tests;

public sealed class SearchSnippetTests
{
    private const char S = SearchSnippet.Start;
    private const char E = SearchSnippet.Stop;

    [Fact]
    public void Marked_words_become_mark_elements_and_everything_else_is_encoded() =>
        SearchSnippet.ToHtml($"Do <b>not</b> use {S}Redmi{E} & \"friends\"").ToString()
            .ShouldBe("Do &lt;b&gt;not&lt;/b&gt; use <mark>Redmi</mark> &amp; &quot;friends&quot;");

    [Fact]
    public void Unbalanced_or_stray_markers_still_give_balanced_markup()
    {
        SearchSnippet.ToHtml($"{S}open {S}twice").ToString().ShouldBe("<mark>open twice</mark>");
        SearchSnippet.ToHtml($"stray{E} stop").ToString().ShouldBe("stray stop");
    }

    [Fact]
    public void Markdown_punctuation_and_line_breaks_are_left_out() =>
        SearchSnippet.ToHtml("## Risk\n\n**Contacts**   and `SMS`").ToString().ShouldBe("Risk Contacts and SMS");
}
