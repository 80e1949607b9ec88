using Course.Tests.Visualization;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Course.Tests.Shipping;

/// <summary>The page that `course serve` hosts, in headless Chromium: type a prompt, press Generate, watch the text
/// stream in. The screenshot is kept in the test output, under screenshots/.</summary>
public class ServingPageTests(ServingFixture fixture, Chromium chromium) : IClassFixture<ServingFixture>, IClassFixture<Chromium>
{
    private static readonly string Screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    [Fact]
    public async Task Typing_a_prompt_streams_the_completion_into_the_page()
    {
        await using var server = await fixture.Start(ServingFixture.Paced(fixture.Torch, TimeSpan.FromMilliseconds(15)));
        var driver = chromium.WebDriver;
        driver.Navigate().GoToUrl(server.Address);
        var wait = new WebDriverWait(driver, TimeSpan.FromMinutes(1));
        wait.Until(d => d.FindElement(By.Id("model")).Text.Contains("torchsharp"));

        var prompt = driver.FindElement(By.Id("prompt"));
        prompt.Clear();
        prompt.SendKeys("the 2 cat");
        var maxTokens = driver.FindElement(By.Id("max_tokens"));
        maxTokens.Clear();
        maxTokens.SendKeys("120");
        // Record how long the completion is at every change, to see it grow in steps rather than appear at once.
        driver.ExecuteScript("""
            window.lengths = [];
            new MutationObserver(() => { const c = document.getElementById('completion'); if (c) window.lengths.push(c.textContent.length); })
              .observe(document.getElementById('output'), { childList: true, characterData: true, subtree: true });
            """);
        driver.FindElement(By.Id("generate")).Click();
        wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("done", StringComparison.Ordinal));

        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(Path.Combine(Screenshots, "serving-page.png"));
        var completion = driver.FindElement(By.Id("completion")).Text;
        var lengths = ((IReadOnlyCollection<object>)driver.ExecuteScript("return window.lengths;")!).Select(Convert.ToInt64).Distinct().ToList();
        Assert.Contains("120 tokens", driver.FindElement(By.Id("status")).Text);
        Assert.True(completion.Length > 20, $"completion: '{completion}'");
        Assert.True(lengths.Count > 10, $"the text should arrive in many pieces; the page saw lengths {string.Join(", ", lengths)}");
    }
}
