package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.evidence.Entry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The HTML report: one self-contained file that parses as XML (a strict check of its markup), with
 * non-empty inline SVG charts, and hostile strings in every field the evidence controls shown as
 * text, never as markup.
 */
class HtmlReportTest {
  static final String EVIL = "<script>alert('x')</script>\"&amp;]]><img src=x onerror=alert(1)>\u0001";
  static final String EVIL_SERVICE = "svc" + EVIL;

  @TempDir Path dir;

  Report hostile() throws Exception {
    String t = "2026-11-26T0%d:00:00Z";
    EvidenceFixture f = new EvidenceFixture()
        .verdict(EVIL_SERVICE, "env" + EVIL, String.format(t, 0), "compliant", "hash" + EVIL, 100.0, 2000.0, 0.0)
        .verdict(EVIL_SERVICE, "env" + EVIL, String.format(t, 1), "hash_mismatch", "deadbeef" + EVIL, 100.0, 2000.0, 0.0)
        .event(EVIL_SERVICE, "env" + EVIL, String.format(t, 1), Entry.Kind.BREACH_OPENED, EVIL, "breach" + EVIL, EVIL)
        .event(EVIL_SERVICE, "env" + EVIL, String.format(t, 2), Entry.Kind.ROLLBACK_FINISHED, "failed" + EVIL,
            "breach" + EVIL, "detail" + EVIL)
        .verdict(EVIL_SERVICE, "env" + EVIL, String.format(t, 3), EVIL, null, null, null, null);
    EvidenceSource.Loaded l = EvidenceSource.fromDir(dir, f.write(dir), EvidenceFixture.MONITOR_KEY.publicKey());
    return ReportBuilder.build(l.entries(), l.checkpoint(), EvidenceFixture.at("2026-11-26T00:00:00Z"),
        EvidenceFixture.at("2026-11-26T05:00:00Z"), null, Duration.ofHours(2), ReportBuilderTest.NOW);
  }

  static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setExpandEntityReferences(false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> all(Document d) {
    NodeList nl = d.getElementsByTagNameNS("*", "*");
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nl.getLength(); i++) {
      out.add((Element) nl.item(i));
    }
    return out;
  }

  @Nested
  class Hostile {
    @Test
    void parsesAsXmlWithNoInjectedElementOrAttribute() throws Exception {
      String html = HtmlReport.render(hostile());
      Document d = parse(html);
      List<Element> elements = all(d);
      assertThat(elements).extracting(Element::getLocalName).doesNotContain("script", "img", "iframe", "object", "link");
      for (Element e : elements) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
          assertThat(attrs.item(i).getNodeName()).doesNotStartWith("on").isNotIn("src", "href");
        }
      }
      String text = d.getDocumentElement().getTextContent();
      String shown = EVIL.replace('\u0001', ' ');
      assertThat(text).contains("svc" + shown, "env" + shown, "breach" + shown, "detail" + shown, "deadbeef" + shown);
    }

    @Test
    void selfContained() throws Exception {
      String html = HtmlReport.render(hostile());
      assertThat(html.replace("http://www.w3.org/1999/xhtml", "").replace("http://www.w3.org/2000/svg", ""))
          .doesNotContain("http://", "https://", "url(", "@import", "<script");
    }

    @Test
    void escapesWhatXmlForbids() {
      assertThat(HtmlReport.esc("a\uD800b\uFFFEc\u0007<'\"&>")).isEqualTo("a\uFFFDb\uFFFDc &lt;&#39;&quot;&amp;&gt;");
      assertThat(HtmlReport.esc("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
      assertThat(HtmlReport.esc(null)).isEmpty();
    }
  }

  @Nested
  class Charts {
    @Test
    void oneChartPerTargetWithANonEmptyPathBandsAndBreaches(@TempDir Path ref) throws Exception {
      byte[] note = EvidenceFixture.reference().write(ref);
      EvidenceSource.Loaded l = EvidenceSource.fromDir(ref, note, null);
      Report r = ReportBuilder.build(l.entries(), l.checkpoint(), ReportBuilderTest.FROM, ReportBuilderTest.TO, null,
          Duration.ofHours(2), ReportBuilderTest.NOW);
      Document d = parse(HtmlReport.render(r));
      NodeList svgs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
      assertThat(svgs.getLength()).isEqualTo(2);
      NodeList paths = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
      assertThat(paths.getLength()).isEqualTo(2);
      for (int i = 0; i < paths.getLength(); i++) {
        assertThat(((Element) paths.item(i)).getAttribute("d")).matches("M[0-9. ML]+");
      }
      List<String> classes = all(d).stream().map(e -> e.getAttribute("class")).toList();
      assertThat(classes).contains("breach", "v-ok", "v-integrity", "v-availability", "uncovered");
      // svc-a: the gap 07:00-09:00 breaks the line: two move-tos after the first
      String dA = ((Element) paths.item(0)).getAttribute("d");
      assertThat(dA.chars().filter(c -> c == 'M').count()).isEqualTo(2);
    }

    @Test
    void anEmptyPeriodHasNoChartAndSaysSo() throws Exception {
      Report empty = ReportBuilder.build(List.of(), new Report.CheckpointInfo("vigil.dev/m", 0, "x", List.of(),
          Report.Signature.UNSIGNED, null, 0), ReportBuilderTest.FROM, ReportBuilderTest.TO, null, Duration.ofHours(2),
          ReportBuilderTest.NOW);
      String html = HtmlReport.render(empty);
      parse(html);
      assertThat(html).contains("Partial or empty evidence", "No service has evidence in the period").doesNotContain("<svg");
    }
  }
}
