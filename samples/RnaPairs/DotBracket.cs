using System.Collections.Generic;
using System.IO;

namespace RnaPairs;

/// <summary>
/// Reads the structure lines of Stockholm files (WUSS): the bracket pairs <c>&lt;&gt;</c>, <c>()</c>, <c>[]</c>,
/// <c>{}</c> nest each on its own stack, and a pseudoknot's upper-case letter pairs with the same lower-case letter
/// (<c>Aa</c>, <c>Bb</c>, …) to its right. Every other character is unpaired.
/// </summary>
public static class DotBracket
{
    private const string Openers = "<([{", Closers = ">)]}";

    /// <summary>
    /// The column pairs <c>(i, j)</c>, <c>i &lt; j</c>, of <paramref name="structure"/>. <paramref name="reversed"/>
    /// reads the brackets the other way round (<c>&gt;</c> opens, as in Infernal's <c>srp-euk.sto</c>); letters are
    /// read as usual. An unmatched bracket or letter is an error, unless <paramref name="lenient"/>: then it is
    /// skipped (to measure how a wrong reading of the brackets would pair).
    /// </summary>
    public static List<(int I, int J)> Pairs(string structure, bool reversed = false, string what = "structure", bool lenient = false)
    {
        var pairs = new List<(int, int)>();
        var stacks = new Dictionary<char, Stack<int>>();
        Stack<int> StackOf(char key) => stacks.TryGetValue(key, out var s) ? s : stacks[key] = new Stack<int>();
        for (int k = 0; k < structure.Length; k++)
        {
            char c = structure[k];
            int open = (reversed ? Closers : Openers).IndexOf(c), close = (reversed ? Openers : Closers).IndexOf(c);
            if (open >= 0) StackOf(Openers[open]).Push(k);
            else if (close >= 0) Pop(StackOf(Openers[close]), c, k);
            else if (c is >= 'A' and <= 'Z') StackOf(c).Push(k);
            else if (c is >= 'a' and <= 'z') Pop(StackOf(char.ToUpperInvariant(c)), c, k);
        }
        foreach (var (key, stack) in stacks)
            if (stack.Count > 0 && !lenient) throw new InvalidDataException($"{what}: `{key}` at column {stack.Peek() + 1} is never closed.");
        pairs.Sort();
        return pairs;

        void Pop(Stack<int> stack, char c, int k)
        {
            if (stack.Count == 0 && lenient) return;
            if (stack.Count == 0) throw new InvalidDataException($"{what}: `{c}` at column {k + 1} closes nothing.");
            pairs.Add((stack.Pop(), k));
        }
    }
}
