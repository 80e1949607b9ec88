using Course.Data;

namespace Course.Tests.Setup;

public class EnvironmentReportTests
{
    private static string Cache(string? relativeTo) => EnvironmentReport.Describe(relativeTo).Single(r => r.Name == "corpus cache").Value;

    [Fact]
    public void A_cache_outside_the_course_folder_is_named_by_its_source_not_its_path()
    {
        var outside = TestFolders.New();
        var before = Environment.GetEnvironmentVariable(CacheDirectory.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(CacheDirectory.EnvironmentVariable, outside);
            Assert.Equal($"outside the course folder (set by {CacheDirectory.EnvironmentVariable})", Cache(Directory.GetCurrentDirectory()));
            Assert.Equal(outside, Cache(null));   // `course env` still names it in full

            Environment.SetEnvironmentVariable(CacheDirectory.EnvironmentVariable, null);
            var inside = Cache(Directory.GetCurrentDirectory());   // the course's data/cache, seen from the test's folder in it
            Assert.False(Path.IsPathRooted(inside));
            Assert.EndsWith("data/cache", inside);
        }
        finally { Environment.SetEnvironmentVariable(CacheDirectory.EnvironmentVariable, before); }
    }
}
