using System;
using System.Linq;
using System.Reflection;
using LossDsl.Generators;
using LossDsl.Generators.Terms;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The runtime's attributes and the generator's term descriptors are one vocabulary: every term attribute has a
/// descriptor that agrees with it (name, parameters, types, defaults), and every descriptor is listed and distinct.
/// </summary>
public class TermDescriptorTests
{
    private static readonly Type[] RuntimeAttributes = typeof(LossModule).Assembly.GetExportedTypes()
        .Where(t => t.Namespace == "LossDsl" && typeof(Attribute).IsAssignableFrom(t))
        .ToArray();

    private static string Name(Type attribute) => attribute.Name.Substring(0, attribute.Name.Length - "Attribute".Length);

    private static Type[] TermAttributes => RuntimeAttributes.Where(t => !Parser.StructuralNames.Contains(Name(t))).ToArray();

    public static TheoryData<string> TermAttributeNames() => new(TermAttributes.Select(Name));

    [Theory]
    [MemberData(nameof(TermAttributeNames))]
    public void EveryRuntimeTermAttributeHasADescriptorThatAgreesWithIt(string name)
    {
        var attribute = TermAttributes.Single(t => Name(t) == name);
        var term = TermCatalog.Find(name);
        Assert.True(term is not null,
            $"[{name}] (src/LossDsl/Terms/{attribute.Name}.cs) has no term descriptor: add generators/LossDsl.Generators/Terms/{name}Term.cs and list it in TermCatalog.All.");

        var properties = attribute.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        var expected = term!.Parameters.Select(p => p.Name).Append("Weight").OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(expected, properties.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));

        // The descriptors read their defaults from the attributes' initialisers (the docs' copies: ParameterDocsTests).
        Assert.Equal(typeof(double), properties.Single(p => p.Name == "Weight").PropertyType);
        Assert.True(TermDescriptor.WeightRange.Contains(term.DefaultWeight), $"{name}.Weight: the default {term.DefaultWeight} is outside LD0007's range");
        foreach (var parameter in term.Parameters)
        {
            var property = properties.Single(p => p.Name == parameter.Name);
            Assert.True(property.PropertyType == (parameter.IsFlag ? typeof(bool) : typeof(double)),
                $"{name}.{parameter.Name}: the attribute's type is {property.PropertyType.Name}, the descriptor's {(parameter.IsFlag ? "bool" : "double")}");
            Assert.True(parameter.Range.Contains(parameter.Default), $"{name}.{parameter.Name}: the default {parameter.Default} is outside its own range ({parameter.Rule})");
        }
        // A repeated term must reach the generator's LD0008, not the compiler's CS0579.
        Assert.True(attribute.GetCustomAttribute<AttributeUsageAttribute>()!.AllowMultiple, $"[{name}] must allow multiple uses");
    }

    [Fact]
    public void EveryDescriptorHasARuntimeAttribute()
    {
        foreach (var term in TermCatalog.All)
            Assert.True(TermAttributes.Any(t => Name(t) == term.AttributeName), $"descriptor {term} has no runtime attribute LossDsl.{term.AttributeName}Attribute");
    }

    [Fact]
    public void StructuralAttributesAreTheRuntimesOthers()
    {
        Assert.All(Parser.StructuralNames, n => Assert.Contains(RuntimeAttributes, t => Name(t) == n));
        Assert.Equal(RuntimeAttributes.Length, Parser.AttributeNames.Length);
    }

    [Fact]
    public void EveryDescriptorTypeIsListedOnce()
    {
        var types = typeof(TermCatalog).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(TermDescriptor).IsAssignableFrom(t)).ToList();
        Assert.Equal(types.OrderBy(t => t.Name), TermCatalog.All.Select(t => t.GetType()).OrderBy(t => t.Name));
        Assert.Equal(TermCatalog.All.Length, TermCatalog.All.Select(t => t.AttributeName).Distinct().Count());
    }

    [Fact]
    public void EmittedLocalNamesAreUniqueIdentifiers()
    {
        var names = TermCatalog.All.Select(t => t.Variable).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        // Nor may they be the names the emitters use themselves.
        var reserved = new[] { "x", "y", "w", "n", "p", "pT", "xT", "logP", "logQ", "logPT", "logQT", "wTotal", "dtype", "scope", "total", "consistency", "terms", "logits", "target", "validMask" };
        Assert.All(names, n =>
        {
            Assert.True(SyntaxFacts.IsValidIdentifier(n) && SyntaxFacts.GetKeywordKind(n) == SyntaxKind.None, n);
            Assert.DoesNotContain(n, reserved);
        });
    }

    [Fact]
    public void EveryParameterHasARuleForLD0006()
    {
        foreach (var term in TermCatalog.All)
            foreach (var parameter in term.Parameters)
                Assert.False(string.IsNullOrWhiteSpace(parameter.Rule), $"{term}.{parameter.Name}");
    }

    [Fact]
    public void EveryTermIsDocumented()
    {
        var root = ReferenceVectors.RepositoryRoot;
        var attributes = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs", "attributes.md"));
        var readme = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "README.md"));
        foreach (var term in TermCatalog.All)
        {
            Assert.Contains($"\n### {term.AttributeName}\n", attributes, StringComparison.Ordinal);
            Assert.Contains($"[{term.AttributeName}]", readme, StringComparison.Ordinal);
        }
    }
}
