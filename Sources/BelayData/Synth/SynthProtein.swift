/// One simulated *M. tuberculosis*-like protein.
public struct SynthProtein: Sendable, Hashable {
    /// UniProt-style accession (`[OPQ][0-9][A-Z0-9]{3}[0-9]`, mostly `P9W…` as for H37Rv), unique in the dataset.
    public var entry: String
    /// UniProt-style entry name, e.g. `MMPLC_MYCTU` or `Y0412_MYCTU`; unique in the dataset.
    public var entryName: String
    /// Gene symbol (when it has one) and locus tag, space-separated, e.g. `mmpLC Rv0412c` or `Rv0413`.
    public var geneNames: String
    /// One-letter amino acids, starting with `M`.
    public var sequence: String
    /// UniProt "Subcellular location [CC]" text; `""` for proteins outside the sheet and for blank rows.
    public var locationText: String
    /// The cleaned label of ``locationText`` (see ``SynthGenerator/cleanedLocation(of:)``); `nil` when blank,
    /// ambiguous, or the protein is not in the sheet.
    public var location: String?
    /// The family (index into the simulated families); members descend from one ancestral sequence.
    public var family: Int
    /// The compartment the protein was simulated in (drives its sequence and embedding), for every protein.
    public var compartment: SynthLocation
    /// Expected fraction of sites substituted since the family's ancestor (the member's divergence).
    public var divergence: Double
}
