package dev.vigil.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** Parses SVG as XML (a badge, or each inline chart of a page), failing on anything not well-formed. */
final class Svg {
  private Svg() {}

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    if (!d.getDocumentElement().getLocalName().equals("svg")) {
      throw new IllegalArgumentException("root is not svg: " + d.getDocumentElement().getLocalName());
    }
    return d;
  }

  /** Every {@code <svg …</svg>} element of an HTML page. */
  static List<String> inline(String html) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while ((from = html.indexOf("<svg", from)) >= 0) {
      int end = html.indexOf("</svg>", from) + "</svg>".length();
      out.add(html.substring(from, end));
      from = end;
    }
    return out;
  }
}
