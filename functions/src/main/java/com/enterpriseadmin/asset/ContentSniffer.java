package com.enterpriseadmin.asset;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * What a file is, by its first bytes (magic numbers), never by its name or the type its uploader declared:
 * PNG, JPEG, GIF, WebP, PDF, MP3 (ID3 tag or an MPEG audio frame), WAV, OGG, MP4 / QuickTime ({@code ftyp} box)
 * and WebM (EBML). {@link #matches} says whether a declared content type fits those bytes.
 */
public final class ContentSniffer {
    /** How many leading bytes {@link #sniff} needs at most (the ranged read of the stored object). */
    public static final int PREFIX_BYTES = 16;

    /** A recognised format and the content types a file of that format may be declared as. */
    public enum Format {
        PNG(Set.of("image/png")),
        JPEG(Set.of("image/jpeg")),
        GIF(Set.of("image/gif")),
        WEBP(Set.of("image/webp")),
        PDF(Set.of("application/pdf")),
        MP3(Set.of("audio/mpeg")),
        WAV(Set.of("audio/wav", "audio/x-wav", "audio/wave")),
        OGG(Set.of("audio/ogg", "video/ogg", "application/ogg")),
        ISO_MEDIA(Set.of("video/mp4", "video/quicktime", "audio/mp4")),
        WEBM(Set.of("video/webm", "audio/webm"));

        private final Set<String> contentTypes;

        Format(Set<String> contentTypes) {
            this.contentTypes = contentTypes;
        }

        public Set<String> contentTypes() {
            return contentTypes;
        }
    }

    private ContentSniffer() {}

    /** The format of a file that starts with {@code head}, if it is one of {@link Format}. */
    public static Optional<Format> sniff(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of(Format.PNG);
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) return Optional.of(Format.JPEG);
        if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return Optional.of(Format.GIF);
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return Optional.of(Format.WEBP);
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) return Optional.of(Format.WAV);
        if (ascii(head, 0, "%PDF-")) return Optional.of(Format.PDF);
        if (ascii(head, 0, "ID3")) return Optional.of(Format.MP3);
        // An MPEG-1/2 audio frame without a tag: 11 sync bits, layer III (bits 01), a bit rate other than "bad".
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE6) == 0xE2 && (head[2] & 0xF0) != 0xF0) return Optional.of(Format.MP3);
        if (ascii(head, 0, "OggS")) return Optional.of(Format.OGG);
        if (ascii(head, 4, "ftyp")) return Optional.of(Format.ISO_MEDIA);
        if (startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) return Optional.of(Format.WEBM);
        return Optional.empty();
    }

    /** Whether a file starting with {@code head} may be stored as {@code declaredContentType}. */
    public static boolean matches(byte[] head, String declaredContentType) {
        return sniff(head).map(f -> f.contentTypes().contains(declaredContentType)).orElse(false);
    }

    /** Every content type some format stands for (the allowed types must be among them). */
    public static boolean recognises(String contentType) {
        return Arrays.stream(Format.values()).anyMatch(f -> f.contentTypes().contains(contentType));
    }

    private static boolean startsWith(byte[] head, int offset, int... bytes) {
        if (head.length < offset + bytes.length) return false;
        for (int i = 0; i < bytes.length; i++) {
            if ((head[offset + i] & 0xFF) != bytes[i]) return false;
        }
        return true;
    }

    private static boolean ascii(byte[] head, int offset, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        if (head.length < offset + b.length) return false;
        return Arrays.equals(head, offset, offset + b.length, b, 0, b.length);
    }
}
