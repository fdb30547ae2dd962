package com.enterpriseadmin.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {
    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void recognisesEachFormatByItsFirstBytes() {
        assertEquals(Optional.of(ContentSniffer.Format.PNG), ContentSniffer.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0)));
        assertEquals(Optional.of(ContentSniffer.Format.JPEG), ContentSniffer.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(Optional.of(ContentSniffer.Format.GIF), ContentSniffer.sniff(ascii("GIF89a..")));
        assertEquals(Optional.of(ContentSniffer.Format.WEBP), ContentSniffer.sniff(ascii("RIFF\u0010\0\0\0WEBPVP8 ")));
        assertEquals(Optional.of(ContentSniffer.Format.WAV), ContentSniffer.sniff(ascii("RIFF\u0010\0\0\0WAVEfmt ")));
        assertEquals(Optional.of(ContentSniffer.Format.PDF), ContentSniffer.sniff(ascii("%PDF-1.7\n")));
        assertEquals(Optional.of(ContentSniffer.Format.MP3), ContentSniffer.sniff(ascii("ID3\u0004\0\0")));
        assertEquals(Optional.of(ContentSniffer.Format.MP3), ContentSniffer.sniff(bytes(0xFF, 0xFB, 0x90, 0x64)));
        assertEquals(Optional.of(ContentSniffer.Format.OGG), ContentSniffer.sniff(ascii("OggS\0\u0002")));
        assertEquals(Optional.of(ContentSniffer.Format.ISO_MEDIA), ContentSniffer.sniff(ascii("\0\0\0\u0018ftypmp42")));
        assertEquals(Optional.of(ContentSniffer.Format.ISO_MEDIA), ContentSniffer.sniff(ascii("\0\0\0\u0014ftypqt  ")));
        assertEquals(Optional.of(ContentSniffer.Format.WEBM), ContentSniffer.sniff(bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F)));
    }

    @Test
    void textShortFilesAndLookAlikesAreNothing() {
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("hello, world")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(new byte[0]));
        assertEquals(Optional.empty(), ContentSniffer.sniff(bytes(0x89, 'P', 'N')));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("RIFF\u0010\0\0\0AVI LIST")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("<svg xmlns=")));
    }

    @Test
    void aDeclaredTypeMustFitTheBytes() {
        byte[] png = bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        assertTrue(ContentSniffer.matches(png, "image/png"));
        assertFalse(ContentSniffer.matches(png, "image/jpeg"));
        assertFalse(ContentSniffer.matches(ascii("%PDF-1.4"), "image/png"));
        assertTrue(ContentSniffer.matches(ascii("\0\0\0\u0014ftypqt  "), "video/quicktime"));
        assertFalse(ContentSniffer.matches(ascii("text"), "application/pdf"));
    }
}
