using System.Security.Cryptography;
using Recordings.Supabase;

namespace Recordings.Supabase;

/// <summary>
/// Copies a file already on disk into Supabase and checks what arrived: the size, and the MD5 where the server
/// gives one as its ETag. An object already at that path (an earlier, interrupted copy) is verified the same way.
/// One read of the file hashes it (MD5 and SHA-256) while it is sent.
/// </summary>
public static class SupabaseFileCopy
{
    /// <param name="Sha256">Lower-case hex SHA-256 of the local file.</param>
    public sealed record Result(bool Verified, long LocalSize, long? StoredSize, string Sha256);

    public static async Task<Result> CopyAndVerifyAsync(
        SupabaseStorageClient supabase, string objectPath, FileStream file, string contentType, CancellationToken cancellationToken)
    {
        using var md5 = MD5.Create();
        using var sha256 = SHA256.Create();
        var localSize = file.Length;
        await using (var md5Reader = new CryptoStream(file, md5, CryptoStreamMode.Read, leaveOpen: true))
        await using (var hashedReader = new CryptoStream(md5Reader, sha256, CryptoStreamMode.Read))
        {
            try
            {
                await supabase.UploadAsync(objectPath, hashedReader, contentType, cancellationToken);
            }
            catch (SupabaseStorageException exception) when (exception.ErrorCode == SupabaseErrorCodes.KeyAlreadyExists)
            {
                // Already there: hash the rest of the file so the check below compares whole files.
                await hashedReader.CopyToAsync(Stream.Null, cancellationToken);
            }
        }

        var md5Hex = Convert.ToHexStringLower(md5.Hash!);
        var stored = await supabase.GetInfoAsync(objectPath, cancellationToken);
        var verified = stored is not null && stored.Size == localSize &&
                       (!IsMd5(stored.ETag) || string.Equals(stored.ETag, md5Hex, StringComparison.OrdinalIgnoreCase));
        return new Result(verified, localSize, stored?.Size, Convert.ToHexStringLower(sha256.Hash!));
    }

    private static bool IsMd5(string? etag) => etag is { Length: 32 } && etag.All(Uri.IsHexDigit);
}
