import CamProbeCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed XML document: its local name (namespace prefix dropped:
/// devices disagree on prefixes, never on local names), attributes, text and children.
struct XMLElementNode: Sendable, Equatable {
    var name: String
    var attributes: [String: String]
    var text: String
    var children: [XMLElementNode]

    /// The first child named `name`.
    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    func children(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The first descendant (depth first, self excluded) named `name`.
    func descendant(_ name: String) -> XMLElementNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }

    /// The trimmed text of the child at `path` (`["Date", "Year"]`).
    func value(_ path: String...) -> String? {
        var node = self
        for name in path {
            guard let next = node.child(name) else { return nil }
            node = next
        }
        let text = node.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// Why a document could not be parsed.
struct XMLTreeError: Error, Equatable {
    let message: String
}

/// Parses a device's answer with FoundationXML's `XMLParser` (libxml2's SAX reader)
/// into ``XMLElementNode``s, within limits: a hostile device may send anything.
///
/// Documents with a DTD are refused before parsing: SOAP 1.2 forbids them (part 1,
/// 5: "A SOAP message MUST NOT contain a Document Type Declaration"), and refusing
/// them rules out entity expansion ("billion laughs") and external entities.
enum XMLTree {
    /// Nesting deeper than any SOAP answer (they nest 10–12 levels).
    static let maximumDepth = 64
    /// Elements in one document: a 1,000-recording search result has ~30,000.
    static let maximumElements = 200_000
    /// Characters of one element's text.
    static let maximumText = 64 * 1024

    static func parse(_ bytes: [UInt8]) throws(XMLTreeError) -> XMLElementNode {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        if bytes.contains(UInt8(ascii: "<")), containsDoctype(bytes) || head.contains("<!ENTITY") {
            throw XMLTreeError(message: "the answer has a DTD, which SOAP forbids")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let limit = builder.limitError { throw XMLTreeError(message: limit) }
        guard parsed, let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw XMLTreeError(message: "the answer is not well-formed XML (line \(parser.lineNumber): \(CameraText.sanitized(reason)))")
        }
        return root
    }

    /// `<!DOCTYPE` anywhere (not only in the head: a prolog of comments may push it back).
    private static func containsDoctype(_ bytes: [UInt8]) -> Bool {
        let needle = Array("<!DOCTYPE".utf8)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if Array(bytes[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var elements = 0
        var limitError: String?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements += 1
            if stack.count >= XMLTree.maximumDepth || elements > XMLTree.maximumElements {
                limitError = stack.count >= XMLTree.maximumDepth
                    ? "the answer nests deeper than \(XMLTree.maximumDepth) elements"
                    : "the answer has more than \(XMLTree.maximumElements) elements"
                parser.abortParsing()
                return
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLElementNode(name: local, attributes: attributes, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty, stack[stack.count - 1].text.count + string.count <= XMLTree.maximumText else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty {
                root = done
            } else {
                stack[stack.count - 1].children.append(done)
            }
        }
    }
}
