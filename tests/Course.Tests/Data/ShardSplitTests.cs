using System.Text.Json.Nodes;
using Course.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Data;

public class ShardSplitTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shards_give_the_batches_of_the_same_tokens_held_in_memory(bool wide)
    {
        using var dir = new TempDirectory();
        // cl100k_base has more than 65,536 ids, so its shards hold uint32; 500 characters fit uint16.
        ITokenizer tokenizer = wide ? new TiktokenEncoding("cl100k_base") : ShardFixtures.Characters(500);
        var random = new Random(3);
        var train = Enumerable.Range(0, 3000).Select(_ => random.Next(tokenizer.VocabSize)).ToArray();
        var validation = Enumerable.Range(0, 400).Select(_ => random.Next(tokenizer.VocabSize)).ToArray();
        ShardFixtures.Write(dir.Path, tokenizer, train, validation, Training.TrainingFixtures.Corpus());

        using var shards = ShardSplit.Open(dir.Path);
        using var memory = new TokenSplit(train, validation, blockSize: 16);
        using var fromShards = new Generator(11);
        using var fromMemory = new Generator(11);
        foreach (var isValidation in new[] { false, true, false })
        {
            var (x, y) = shards.Batch(isValidation, 8, 16, fromShards, CPU);
            var (expectedX, expectedY) = memory.Batch(isValidation, 8, 16, fromMemory, CPU);
            Assert.True(Same(x, expectedX) && Same(y, expectedY), $"batch (validation: {isValidation}) differs");
        }
        Assert.Equal(wide ? 4 : 2, (new FileInfo(Path.Combine(dir.Path, ShardPreparer.TrainFileName)).Length - TokenShard.HeaderSize) / train.Length);
        Assert.Equal(validation[0], shards.FirstValidationToken);
        Assert.Equal((3000L, 400L), (shards.TrainTokens, shards.ValidationTokens));
    }

    [Fact]
    public void Targets_are_the_inputs_shifted_by_one()
    {
        using var dir = new TempDirectory();
        ShardFixtures.WriteCounting(dir.Path, 1000, 100, ShardFixtures.Characters(2000));
        using var shards = ShardSplit.Open(dir.Path);
        using var generator = new Generator(1);

        var (x, y) = shards.Batch(false, 4, 8, generator, CPU);

        Assert.Equal([4L, 8L], x.shape);
        Assert.True(Same(y, x + 1));
        Assert.True(Same(x[.., 1..], x[.., ..^1] + 1), "each row is a run of consecutive positions");
        var (validationX, _) = shards.Batch(true, 4, 8, generator, CPU);
        Assert.True(validationX.ge(1000).all().item<bool>(), "validation windows come from val.bin");
    }

    [Fact]
    public void A_missing_folder_or_meta_json_says_how_to_prepare_shards()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<UserError>(() => ShardSplit.Open(dir.File("absent")));
        Assert.Contains("the folder does not exist", e.Message);
        Assert.Contains("course data prepare --corpus NAME --tokenizer SPEC", e.Message);
        e = Assert.Throws<UserError>(() => ShardSplit.Open(dir.Path));
        Assert.Contains("it has no meta.json", e.Message);
    }

    [Fact]
    public void A_meta_json_from_an_older_preparation_is_refused()
    {
        using var dir = new TempDirectory();
        ShardFixtures.WriteCounting(dir.Path, 100, 100, ShardFixtures.Characters(200));
        var meta = JsonNode.Parse(File.ReadAllText(dir.File(ShardManifest.FileName)))!.AsObject();
        meta.Remove("characters");
        File.WriteAllText(dir.File(ShardManifest.FileName), meta.ToJsonString());

        var e = Assert.Throws<UserError>(() => ShardSplit.Open(dir.Path));
        Assert.Contains("damaged or from an older version", e.Message);
        Assert.Contains("course data prepare", e.Message);
    }

    [Fact]
    public void Shards_that_do_not_match_meta_json_are_refused()
    {
        using var dir = new TempDirectory();
        ShardFixtures.WriteCounting(dir.Path, 100, 100, ShardFixtures.Characters(200));
        TokenShard.Write(dir.File(ShardPreparer.ValFileName), [1, 2, 3], 200); // left over from another preparation

        var e = Assert.Throws<UserError>(() => ShardSplit.Open(dir.Path));
        Assert.Contains("holds 3 ids of a 200-token vocabulary, but meta.json promises 100 of 200", e.Message);
    }

    [Fact]
    public void A_shard_shorter_than_a_window_says_what_to_change()
    {
        using var dir = new TempDirectory();
        ShardFixtures.WriteCounting(dir.Path, 100, 10, ShardFixtures.Characters(200));
        using var shards = ShardSplit.Open(dir.Path);
        var e = Assert.Throws<UserError>(() => shards.RequireWindow(16));
        Assert.Contains("The validation shard", e.Message);
        Assert.Contains("has 10 tokens, fewer than one context window of 17", e.Message);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
