package com.enterpriseadmin.http;

import java.util.List;

/**
 * An RFC 4180 CSV text built row by row: CRLF line ends, a cell quoted when it holds {@code "}, {@code ,}, CR or LF
 * (quotes doubled). A text cell a spreadsheet would run as a formula (first character {@code =}, {@code +},
 * {@code -}, {@code @}, tab or CR) is neutralised with a leading {@code '}; numbers are written as numbers, so a
 * negative amount stays {@code -5}. {@link #encodedSize} is what the text will weigh inside the Lambda's JSON answer
 * (each character that JSON escapes counted with its escape), so an export can stop before API Gateway's 6 MB.
 */
public final class Csv {
    public static final String MEDIA_TYPE = "text/csv";

    private final StringBuilder out = new StringBuilder();
    private long encodedSize;
    private int rows;

    public Csv(List<String> header) {
        row(header.toArray());
        rows = 0;
    }

    /** Appends one row; a {@link Number} is a number, anything else its text ({@code null}: an empty cell). */
    public Csv row(Object... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells[i]));
        }
        line.append("\r\n");
        out.append(line);
        encodedSize += jsonSize(line);
        rows++;
        return this;
    }

    /** Data rows so far (the header not counted). */
    public int rows() { return rows; }

    public long encodedSize() { return encodedSize; }

    public String text() { return out.toString(); }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        String s = value.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf('"') >= 0 || s.indexOf(',') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static long jsonSize(CharSequence s) {
        long size = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            size += c == '"' || c == '\\' || c == '\r' || c == '\n' || c == '\t' ? 2 : c < 0x20 ? 6 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return size;
    }
}
