using System.Globalization;
using LossDsl;
using static TorchSharp.torch;

namespace Consumer;

/// <summary>Runs every generated loss forward and backward and prints one line per loss.</summary>
internal static class Program
{
    private static int Main()
    {
        random.manual_seed(7);
        var ok = true;
        ok &= Run("Consumer.Proteins.ContactLoss", new Proteins.ContactLoss());
        ok &= Run("Consumer.Rna.ContactLoss", new Rna.ContactLoss());
        ok &= Run("Consumer.Rna.Outer.ContactLoss", new Rna.Outer.ContactLoss());
        ok &= Run("GlobalLoss", new GlobalLoss());
        return ok ? 0 : 1;
    }

    /// <summary>Loss and gradient of <paramref name="loss"/> on a random batch of two 12×12 maps of lengths 12 and 9.</summary>
    private static bool Run(string name, LossModule loss)
    {
        using var scope = NewDisposeScope();
        using (loss)
        {
            var logits = randn(2, 12, 12).requires_grad_(true);
            var target = (rand(2, 12, 12) > 0.8).to(float32);
            var valid = LossMasks.FromLengths(tensor(new long[] { 12, 9 }), 12);
            var value = loss.call(logits, target, valid);
            value.backward();
            var grad = logits.grad ?? throw new InvalidOperationException(name + ": no gradient");
            var v = value.item<float>();
            var g = grad.abs().sum().item<float>();
            var ok = float.IsFinite(v) && float.IsFinite(g) && g > 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} loss={v:R} grad={g:R}"));
            return ok;
        }
    }
}
