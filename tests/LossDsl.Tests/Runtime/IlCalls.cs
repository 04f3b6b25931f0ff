using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace LossDsl.Tests;

/// <summary>
/// The calls each method of an assembly makes, read from its IL: <c>Type::Name(ParameterTypes)</c> per method, and
/// per call site the member called in the same form.
/// </summary>
internal static class IlCalls
{
    private static readonly Dictionary<int, OpCode> Codes = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (int)(ushort)o.Value, o => o);

    /// <summary>Every method with a body in <paramref name="path"/>, by its declaring type's name, with the members it calls.</summary>
    public static List<(string Type, string Method, List<string> Calls)> Read(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var types = new SignatureTypes();
        var result = new List<(string, string, List<string>)>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                var calls = CallsIn(pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader(), md, types);
                result.Add((md.GetString(type.Name), Describe(md, md.GetString(type.Name), md.GetString(method.Name), method.DecodeSignature(types, null)), calls));
            }
        }
        return result;
    }

    private static List<string> CallsIn(BlobReader il, MetadataReader md, SignatureTypes types)
    {
        var calls = new List<string>();
        while (il.RemainingBytes > 0)
        {
            int op = il.ReadByte();
            if (op == 0xFE) op = 0xFE00 | il.ReadByte();
            if (op is 0x28 or 0x6F or 0x73) { calls.Add(Member(md, MetadataTokens.EntityHandle(il.ReadInt32()), types)); continue; } // call, callvirt, newobj
            switch (Codes[op].OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.Offset += 1; break;
                case OperandType.InlineVar: il.Offset += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: il.Offset += 8; break;
                case OperandType.InlineSwitch: int targets = il.ReadInt32(); il.Offset += 4 * targets; break; // count first: Offset += reads Offset before the call
                default: il.Offset += 4; break;
            }
        }
        return calls;
    }

    private static string Member(MetadataReader md, EntityHandle handle, SignatureTypes types)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var method = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                return Describe(md, md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name), md.GetString(method.Name), method.DecodeSignature(types, null));
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                if (member.GetKind() != MemberReferenceKind.Method) return "";
                var parent = member.Parent.Kind switch
                {
                    HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)member.Parent).Name),
                    HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)member.Parent).Name),
                    _ => "",
                };
                return Describe(md, parent, md.GetString(member.Name), member.DecodeMethodSignature(types, null));
            case HandleKind.MethodSpecification:
                return Member(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method, types);
            default:
                return "";
        }
    }

    private static string Describe(MetadataReader md, string type, string name, MethodSignature<string> signature) =>
        $"{type}::{name}({string.Join(",", signature.ParameterTypes)})";

    /// <summary>Type names as the signatures spell them (namespaces left out: the tests compare with TorchSharp's own).</summary>
    private sealed class SignatureTypes : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string element, ArrayShape shape) => element + "[,]";
        public string GetByReferenceType(string element) => element + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericInstantiation(string generic, ImmutableArray<string> arguments) => generic + "<" + string.Join(",", arguments) + ">";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodified, bool isRequired) => unmodified;
        public string GetPinnedType(string element) => element;
        public string GetPointerType(string element) => element + "*";
        public string GetPrimitiveType(PrimitiveTypeCode code) => code.ToString();
        public string GetSZArrayType(string element) => element + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte kind) => reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte kind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte kind) => "spec";
    }
}
