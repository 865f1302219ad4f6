import BelayFormats
import Foundation
import FuzzSupport
import ZIPFoundation

/// The XML parts of an instructor's spreadsheet, behind a valid zip container (the whole-file target spends
/// most inputs on broken zip checksums): the input is cut at NUL bytes into the worksheet, the shared strings,
/// the workbook and the workbook's relationships; parts not given are the minimal valid ones.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSXParts(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let pieces = FuzzInput.pieces(FuzzInput.data(bytes, count), count: 4)
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let defaults = [
        #"<worksheet xmlns="\#(main)"><sheetData/></worksheet>"#,
        #"<sst xmlns="\#(main)"/>"#,
        #"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="\#(rel)/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    ].map { Data($0.utf8) }
    let paths = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    guard let archive = try? Archive(accessMode: .create) else { return 0 }
    for (k, path) in paths.enumerated() {
        let part = k < pieces.count ? pieces[k] : defaults[k]
        try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(part.count), compressionMethod: .none) {
            position, size in part.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    guard let data = archive.data else { return 0 }
    let url = FuzzInput.file("parts.xlsx", data)
    _ = try? XLSXReader.read(at: url)
    return 0
}
