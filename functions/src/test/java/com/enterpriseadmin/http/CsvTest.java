package com.enterpriseadmin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static List<CSVRecord> parse(String text) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text)).getRecords();
    }

    @Test
    void quotesWhatRfc4180RequiresAndEndsLinesWithCrlf() throws IOException {
        Csv csv = new Csv(List.of("a", "b", "c")).row("plain", "with, comma", "say \"hi\"\r\nnext line");
        assertEquals("a,b,c\r\nplain,\"with, comma\",\"say \"\"hi\"\"\r\nnext line\"\r\n", csv.text());
        CSVRecord r = parse(csv.text()).get(0);
        assertEquals("with, comma", r.get("b"));
        assertEquals("say \"hi\"\r\nnext line", r.get("c"));
        assertEquals(1, csv.rows());
    }

    @Test
    void neutralisesFormulaTextButKeepsNegativeNumbers() throws IOException {
        Csv csv = new Csv(List.of("n", "t1", "t2", "t3", "t4", "t5", "t6", "empty"))
                .row(-5L, "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", null);
        CSVRecord r = parse(csv.text()).get(0);
        assertEquals("-5", r.get("n"));
        assertEquals("'=HYPERLINK(\"http://x\")", r.get("t1"));
        assertEquals("'+1", r.get("t2"));
        assertEquals("'-2", r.get("t3"), "a TEXT cell that looks like a number is text: neutralised");
        assertEquals("'@SUM(A1)", r.get("t4"));
        assertEquals("'\tx", r.get("t5"));
        assertEquals("'\rx", r.get("t6"));
        assertEquals("", r.get("empty"));
    }

    @Test
    void encodedSizeCountsJsonEscapes() {
        Csv csv = new Csv(List.of("a"));
        long header = csv.encodedSize();
        assertEquals("a\r\n".length() + 2, header, "CR and LF are two characters each in JSON");
        csv.row("\"");
        assertTrue(csv.encodedSize() - header >= "\"\"\"\"\r\n".length() + 4 + 2);
    }
}
