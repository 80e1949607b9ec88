using Course.Data;
using Course.FineTuning.Instructions;
using Course.FineTuning.Lora;
using Course.Models;

namespace Course;

public static partial class Exercises
{
    /// <summary>Chapter 12, LoRA and instruction tuning. Each right answer is computed here from the library: the
    /// adapters' count from adapters applied to the model, the counted targets from the chat template, F1 from
    /// <see cref="AnswerOverlap"/>.</summary>
    public static class Chapter12
    {
        /// <summary>The question and answer of exercise 2.</summary>
        public const string Member = "P:System.String.Length", Summary = "Gets the number of characters in the current String object.";

        /// <param name="loraWeights">Exercise 1: numbers a rank-8 LoRA on attn and mlp trains in the cpu-small body.</param>
        /// <param name="countedTargets">Exercise 2: targets that count in the loss for the example about <see cref="Member"/>.</param>
        /// <param name="tokenF1">Exercise 3: (predicted, truth) => SQuAD's token F1.</param>
        public static ExerciseReport Check(long? loraWeights = null, long? countedTargets = null, Func<string, string, double>? tokenF1 = null)
        {
            using var body = LanguageModel.Create(Preset.Named("cpu-small").ModelFor(103));
            using var adapters = LoraAdapters.Apply(body, new LoraConfig(8, 16, 0, ["attn", "mlp"]));
            var question = InstructionSet.QuestionAbout(Member);
            var template = new ChatTemplate(new CharTokenizer(question + Summary), firstSpecialId: 103);
            var example = template.Encode(new Instruction(Member, question, Summary), blockSize: 128)!;
            (string Predicted, string Truth)[] pairs =
            [
                ("Gets the number of characters.", "Gets the number of characters in the current String object."),
                ("the the value", "Gets the value."),
                ("Returns a string.", "Releases all resources."),
                ("An, Exact; match!", "an exact match"),
                ("", "Gets the value."),
            ];
            return new ExerciseReport("12")
                .Number(1, "numbers a rank-8 LoRA trains in cpu-small", loraWeights, adapters.TrainableCount)
                .Number(2, "targets the loss counts for one example", countedTargets, example.AnswerTokens)
                .Judge(3, "token F1 by hand", tokenF1, f =>
                {
                    foreach (var (predicted, truth) in pairs)
                    {
                        var (given, expected) = (f(predicted, truth), AnswerOverlap.F1(predicted, truth));
                        if (!(Math.Abs(given - expected) <= 1e-9))
                            return $"for \"{predicted}\" against \"{truth}\" you gave {given:G4}, the library {expected:G4}";
                    }
                    return null;
                });
        }
    }
}
