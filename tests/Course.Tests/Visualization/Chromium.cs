using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Course.Tests.Visualization;

/// <summary>
/// Headless Chromium driven by Selenium through Debian's chromedriver (Selenium cannot download a driver here).
/// Missing packages are installed with apt-get when the tests run as root; otherwise the tests fail with the
/// command to run, never skip: a renderer no one here wrote is the point of these tests.
/// </summary>
public sealed class Chromium : IDisposable
{
    private const string Browser = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";
    private const string Install = "apt-get update && apt-get install -y chromium chromium-driver";
    private readonly string _profile = Directory.CreateTempSubdirectory("course-chromium-").FullName;

    public ChromeDriver WebDriver { get; }

    public Chromium()
    {
        EnsureInstalled();
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={_profile}", "--window-size=1000,700", "--hide-scrollbars");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        WebDriver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
        WebDriver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromMinutes(1);
        WebDriver.Manage().Timeouts().PageLoad = TimeSpan.FromMinutes(1);
    }

    /// <summary>Runs JavaScript that calls its last argument, done(result), when finished.</summary>
    public T Run<T>(string script, params object[] arguments) => (T)WebDriver.ExecuteAsyncScript(script, arguments)!;

    public void Dispose()
    {
        WebDriver.Quit();
        try { Directory.Delete(_profile, recursive: true); }
        catch (IOException) { /* Chromium's last writes; temp is cleaned eventually */ }
    }

    private static void EnsureInstalled()
    {
        if (File.Exists(Browser) && File.Exists(Driver)) return;
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/apt-get"))
            throw new InvalidOperationException($"The rendering tests need Chromium and its WebDriver. Install them: sudo sh -c '{Install}'");
        var start = new ProcessStartInfo("sh", ["-c", Install]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(Browser) || !File.Exists(Driver))
            throw new InvalidOperationException($"`{Install}` failed (exit {process.ExitCode}); run it by hand.\n{output.Result}\n{error}");
    }
}
