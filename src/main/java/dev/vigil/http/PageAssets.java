package dev.vigil.http;

import dev.vigil.attest.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The status pages' one stylesheet and one script, inline (no external assets), and what the
 * pages say for each verdict family: a CSS class, an icon and a word, so that no state is told by
 * colour alone. The Content-Security-Policy allows exactly this script, by its SHA-256. Constants;
 * thread-safe.
 */
final class PageAssets {
  /**
   * Replaces the page's {@code [data-part]} elements with the fragments of the JSON at the body's
   * {@code data-src} every 5 s (no reload, no flicker), and keeps every "… ago" current each
   * second. Without JavaScript the page refreshes through its {@code <noscript>} meta refresh.
   */
  static final String SCRIPT = "(function(){var b=document.body,src=b.getAttribute('data-src'),last={};"
      + "function f(s){return s<120?s+' s ago':s<7200?Math.floor(s/60)+' min ago':s<172800?Math.floor(s/3600)+' h ago'"
      + ":Math.floor(s/86400)+' d ago';}"
      + "function ago(){var n=Date.now();document.querySelectorAll('time[datetime]').forEach(function(t){"
      + "var a=t.nextElementSibling;if(a&&a.className==='ago'){var s=Math.round((n-Date.parse(t.getAttribute('datetime')))/1000);"
      + "a.textContent=s<0?'in the future':f(s);}});}"
      + "function load(){fetch(src,{cache:'no-store',headers:{'Accept':'application/json'}}).then(function(r){"
      + "if(!r.ok){throw new Error('HTTP '+r.status);}return r.json();}).then(function(j){"
      + "document.querySelectorAll('[data-part]').forEach(function(e){var k=e.getAttribute('data-part'),h=j[k];"
      + "if(typeof h==='string'&&h!==last[k]){e.innerHTML=h;last[k]=h;}});"
      + "b.setAttribute('data-refreshed',j.generatedAt);b.removeAttribute('data-stale');ago();})"
      + "['catch'](function(){b.setAttribute('data-stale','true');});}"
      + "if(src&&window.fetch){setInterval(load,5000);}setInterval(ago,1000);})();";

  static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
      + "script-src 'sha256-" + sha256(SCRIPT) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  static final String STYLE = "*{box-sizing:border-box}"
      + "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;padding:.8rem 1rem;color:#1f1f1f;"
      + "background:#fff;line-height:1.35;overflow-wrap:anywhere}"
      + "h1{font-size:1.25rem;margin:0 0 .2rem}h2{font-size:1.05rem;margin:1rem 0 .4rem}"
      + "a{color:#0b57d0}code{font-size:.85em}small,.ago{color:#4a4a4a}"
      + "table{border-collapse:collapse;width:100%;table-layout:fixed}"
      + "th,td{border:1px solid #c4c7c5;padding:.3rem .45rem;text-align:left;vertical-align:top}"
      + "th{background:#f1f3f4;font-weight:600}"
      + ".calm{padding:.5rem .7rem;background:#e6f4ea;border-left:4px solid #137333;margin:.4rem 0}"
      + ".banner{padding:.5rem .7rem;margin:.4rem 0;background:#fce8e6;border-left:4px solid #a50e0e}"
      + ".banner.warn{background:#fef7e0;border-left-color:#8a5300}"
      + ".banner.info{background:#e8f0fe;border-left-color:#0b57d0;color:#1f1f1f}"
      + ".f-ok{background:#e6f4ea;color:#0d5224}.f-integrity{background:#fce8e6;color:#8c1d18}"
      + ".f-availability{background:#fff0d6;color:#6b3d00}.f-other{background:#eee8f7;color:#4a2c7a}"
      + ".f-pending{background:#f1f3f4;color:#3c4043}"
      + ".v{font-weight:600}.open{display:inline-block;margin-left:.3rem;padding:0 .3rem;border:1px solid #a50e0e;"
      + "color:#8c1d18;background:#fff;border-radius:3px;font-size:.8em;font-weight:600}"
      + ".meta{font-size:.85em}.strip{display:flex;gap:1px;height:14px;margin-top:.25rem}"
      + ".strip i{flex:1 1 0;min-width:1px;border-radius:1px}"
      + ".strip i.f-ok{background:#1e8e3e}.strip i.f-integrity{background:#c5221f}"
      + ".strip i.f-availability{background:#e37400}.strip i.f-other{background:#8e63ce}.strip i.f-pending{background:#dadce0}"
      + ".kv th{width:11rem}td.cell a{color:inherit}.breaches td,.breaches th{font-size:.9em}"
      + "svg.chart{width:100%;height:auto;max-width:760px;display:block;background:#fafafa;border:1px solid #dadce0}"
      + "@media (max-width:640px){body{padding:.5rem}.breaches thead{position:absolute;left:-9999px}"
      + ".breaches tr{display:block;border:1px solid #c4c7c5;margin-bottom:.4rem}"
      + ".breaches td{display:block;border:0;padding:.15rem .4rem}"
      + ".breaches td::before{content:attr(data-label) ': ';font-weight:600}"
      + ".grid th:first-child{width:34%}}";

  private PageAssets() {}

  /** The CSS class suffix of a verdict's family: ok, integrity, availability, other; pending for none. */
  static String family(Verdict v) {
    if (v == null) {
      return "pending";
    }
    return switch (v.family()) {
      case OK -> "ok";
      case INTEGRITY -> "integrity";
      case AVAILABILITY -> "availability";
      case CONTENT, COMPLIANCE -> "other";
    };
  }

  /** An icon for each family, beside the verdict's word (never colour alone). */
  static String icon(Verdict v) {
    return switch (family(v)) {
      case "ok" -> "✓";
      case "integrity" -> "✗";
      case "availability" -> "⚠";
      case "other" -> "?";
      default -> "…";
    };
  }

  static String word(Verdict v) {
    return v == null ? "pending" : v.label();
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
