using System.Net;
using System.Net.Sockets;
using Course.Tests.Visualization;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;

namespace Course.Notebooks.Tests.Jupyter;

/// <summary>
/// The final check of the kernel, as a learner meets it: Debian's Jupyter Notebook (classic, 6.4) served on
/// 127.0.0.1, and headless Chromium typing Shift+Enter through chapter 00 until the course kernel has drawn a tensor
/// table on the page. The screenshot stays in the test output (screenshots/).
/// </summary>
public sealed class NotebookUiTests
{
    private const string Chapter = "00-setup.ipynb";

    [Fact]
    public async Task A_chapter_runs_cell_by_cell_in_Jupyter_Notebook_in_a_real_browser()
    {
        await JupyterTools.EnsureInstalledAsync(browser: true);
        // The chapter is copied, so the UI's autosave cannot touch the committed file; src/ beside it keeps the chapter's
        // relative #r of the course library working.
        using var site = new TempFolder();
        Directory.CreateDirectory(site["notebooks"]);
        var chapter = Notebook.Load(Path.Combine(CourseNotebookTests.NotebooksFolder, Chapter));
        foreach (var cell in chapter.Cells) cell.ClearExecution();
        chapter.Save(site["notebooks/" + Chapter]);
        File.CreateSymbolicLink(site["src"], Path.Combine(RepositoryRoot.Path, "src"));

        var port = FreePort();
        var token = Guid.NewGuid().ToString("N");
        using var server = new NotebookServer(site.Path, port, token);
        await server.WaitUntilUpAsync();

        using var chromium = new Chromium();
        var browser = chromium.WebDriver;
        browser.Navigate().GoToUrl($"http://127.0.0.1:{port}/notebooks/notebooks/{Chapter}?token={token}");
        var wait = new WebDriverWait(browser, TimeSpan.FromMinutes(3));
        wait.Until(_ => browser.ExecuteScript("return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())") is true);

        // As a learner does: click the first cell, then Shift+Enter through the chapter up to the tensors.
        browser.FindElements(By.CssSelector(".cell"))[0].Click();
        var tensorsCell = chapter.Cells.FindIndex(c => c.IsCode && c.Source.Contains("display(AB)"));
        for (int i = 0; i <= tensorsCell; i++)
            new Actions(browser).KeyDown(Keys.Shift).SendKeys(Keys.Enter).KeyUp(Keys.Shift).Perform();

        var caption = wait.Until(_ => browser.FindElements(By.CssSelector(".output_area table caption"))
            .FirstOrDefault(c => c.Text.StartsWith("tensor of shape [2, 2]", StringComparison.Ordinal)));
        ((IJavaScriptExecutor)browser).ExecuteScript("arguments[0].scrollIntoView()", caption);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        browser.GetScreenshot().SaveAsFile(Path.Combine(AppContext.BaseDirectory, "screenshots", "notebook-ui-00-setup.png"));

        Assert.Equal("tensor of shape [2, 2], Float32, on cpu", caption.Text);
        var cells = caption.FindElement(By.XPath("./..")).FindElements(By.TagName("td")).Select(td => td.Text).ToList();
        Assert.Equal(["4", "5", "10", "11"], cells); // A·B as worked out in the chapter
        Assert.Equal("C# (course)", browser.FindElement(By.CssSelector(".kernel_indicator_name")).Text);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
