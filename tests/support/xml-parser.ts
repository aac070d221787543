import fs from "node:fs";
import { chromium, type Browser } from "@playwright/test";

/**
 * A strict XML parser for tests: Chromium's DOMParser (libxml2 underneath), the same browser the
 * end-to-end tests drive. Node has no XML parser of its own and the project carries none; a lenient
 * HTML-ish parser would accept the very documents (an unescaped "&", a stray control character) that
 * feed readers and crawlers refuse. `parse()` throws on any well-formedness error.
 */
export type XmlNode = { name: string; ns: string | null; attrs: Record<string, string>; text: string; children: XmlNode[] };

const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

export async function startXmlParser(): Promise<{ parse: (xml: string) => Promise<XmlNode>; close: () => Promise<void> }> {
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? systemChromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage();
  return {
    async parse(xml: string) {
      const result = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, "application/xml");
        const error = doc.getElementsByTagName("parsererror")[0];
        if (error) return { error: error.textContent ?? "parse error" };
        const walk = (el: Element): XmlNode => ({
          name: el.localName,
          ns: el.namespaceURI,
          attrs: Object.fromEntries([...el.attributes].map((a) => [a.name, a.value])),
          text: el.children.length === 0 ? (el.textContent ?? "") : "",
          children: [...el.children].map(walk),
        });
        return { root: walk(doc.documentElement) };
      }, xml);
      if ("error" in result) throw new Error(`not well-formed XML: ${result.error}`);
      return result.root as XmlNode;
    },
    close: () => browser.close(),
  };
}

/** The children of `node` named `name`. */
export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The text of the first child named `name` ("" when there is none). */
export function childText(node: XmlNode, name: string): string {
  return childrenNamed(node, name)[0]?.text ?? "";
}
