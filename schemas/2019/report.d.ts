// Generated from schemas/2019/report.schema.json by conformance/typescript.js; do not edit.
/**
 * Government information disclosure annual report, template edition 2019. Keys are the canonical keys of the gov_disclosure format; null marks a blank cell (never the same as 0); money cells are decimal strings.
 */
export interface Report2019 {
/**
 * template edition
 */
format: "2019"
/**
 * report year (the calendar year reported on)
 */
year: number
agency: Agency
/**
 * the body itself or its whole jurisdiction
 */
scope?: ("agency" | "jurisdiction" | null)
/**
 * publication date
 */
published?: (string | null)
/**
 * URL of the published report
 */
source?: (string | null)
/**
 * section 1: overview
 */
overview?: (string | null)
proactive_disclosure: ProactiveDisclosure2019
requests: Requests
review_litigation: ReviewLitigation
/**
 * section 5: problems and improvements
 */
problems_and_improvements?: (string | null)
/**
 * section 6: other matters
 */
other_matters?: (string | null)
unread?: Unread
ocr?: Ocr
}
/**
 * publishing body
 */
export interface Agency {
/**
 * name of the publishing body
 */
name: string
/**
 * administrative region
 */
region?: (string | null)
/**
 * administrative level
 */
level?: ("national" | "provincial" | "prefectural" | "county" | "township" | null)
/**
 * government or department
 */
kind?: ("government" | "department" | null)
}
/**
 * section 2: proactive disclosure (table 2)
 */
export interface ProactiveDisclosure2019 {
regulations: DocumentsRow2019
normative_documents: DocumentsRow20191
licensing: ItemsRow2019
other_services: ItemsRow20191
penalties: ItemsRow20192
coercive_measures: ItemsRow20193
fees: FeesRow2019
procurement: ProcurementRow2019
}
/**
 * rules
 */
export interface DocumentsRow2019 {
/**
 * made this year
 */
made: (number | null)
/**
 * published this year
 */
published: (number | null)
/**
 * total published
 */
total_published: (number | null)
}
/**
 * normative documents
 */
export interface DocumentsRow20191 {
/**
 * made this year
 */
made: (number | null)
/**
 * published this year
 */
published: (number | null)
/**
 * total published
 */
total_published: (number | null)
}
/**
 * licensing
 */
export interface ItemsRow2019 {
/**
 * items in the prior year
 */
prior_year_items: (number | null)
/**
 * change this year (signed)
 */
change: (number | null)
/**
 * decisions
 */
decisions: (number | null)
}
/**
 * other external management services
 */
export interface ItemsRow20191 {
/**
 * items in the prior year
 */
prior_year_items: (number | null)
/**
 * change this year (signed)
 */
change: (number | null)
/**
 * decisions
 */
decisions: (number | null)
}
/**
 * penalties
 */
export interface ItemsRow20192 {
/**
 * items in the prior year
 */
prior_year_items: (number | null)
/**
 * change this year (signed)
 */
change: (number | null)
/**
 * decisions
 */
decisions: (number | null)
}
/**
 * coercive measures
 */
export interface ItemsRow20193 {
/**
 * items in the prior year
 */
prior_year_items: (number | null)
/**
 * change this year (signed)
 */
change: (number | null)
/**
 * decisions
 */
decisions: (number | null)
}
/**
 * administrative fees
 */
export interface FeesRow2019 {
/**
 * items in the prior year
 */
prior_year_items: (number | null)
/**
 * change this year (signed)
 */
change: (number | null)
}
/**
 * centralised government procurement
 */
export interface ProcurementRow2019 {
/**
 * procurement projects
 */
projects: (number | null)
/**
 * total procurement amount
 */
amount: (string | null)
/**
 * unit printed with the amount (e.g. 元)
 */
amount_unit?: (string | null)
}
/**
 * section 3: requests received and handled (table 3)
 */
export interface Requests {
new_received: ApplicantRow
carried_over: ApplicantRow1
outcomes: Outcomes
carried_forward: ApplicantRow22
}
/**
 * new requests received this year
 */
export interface ApplicantRow {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * requests carried over from last year
 */
export interface ApplicantRow1 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * outcomes this year
 */
export interface Outcomes {
granted: ApplicantRow2
partially_granted: ApplicantRow3
withheld: Withheld
unable_to_provide: UnableToProvide
not_processed: NotProcessed
other: ApplicantRow20
total: ApplicantRow21
}
/**
 * granted
 */
export interface ApplicantRow2 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * partially granted
 */
export interface ApplicantRow3 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * withheld
 */
export interface Withheld {
state_secret: ApplicantRow4
prohibited_by_law: ApplicantRow5
security_and_stability: ApplicantRow6
third_party_rights: ApplicantRow7
internal_affairs: ApplicantRow8
process_information: ApplicantRow9
enforcement_case_files: ApplicantRow10
administrative_inquiry: ApplicantRow11
}
/**
 * state secret
 */
export interface ApplicantRow4 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * prohibited by other laws and regulations
 */
export interface ApplicantRow5 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * endangers security or stability
 */
export interface ApplicantRow6 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * protects third-party rights
 */
export interface ApplicantRow7 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * internal affairs information
 */
export interface ApplicantRow8 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * process information
 */
export interface ApplicantRow9 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * administrative enforcement case files
 */
export interface ApplicantRow10 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * administrative inquiry matters
 */
export interface ApplicantRow11 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * unable to provide
 */
export interface UnableToProvide {
not_held: ApplicantRow12
requires_creation: ApplicantRow13
unclear_after_correction: ApplicantRow14
}
/**
 * information not held by this body
 */
export interface ApplicantRow12 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * would have to be newly created
 */
export interface ApplicantRow13 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * still unclear after correction
 */
export interface ApplicantRow14 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * not processed
 */
export interface NotProcessed {
petition_or_complaint: ApplicantRow15
duplicate: ApplicantRow16
publication: ApplicantRow17
excessive_repetition: ApplicantRow18
confirmation_or_reissue: ApplicantRow19
}
/**
 * petitions, reports and complaints
 */
export interface ApplicantRow15 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * duplicate requests
 */
export interface ApplicantRow16 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * requests for published material
 */
export interface ApplicantRow17 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * excessive repeated requests
 */
export interface ApplicantRow18 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * requests to confirm or reissue information already obtained
 */
export interface ApplicantRow19 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * other handling
 */
export interface ApplicantRow20 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * total concluded
 */
export interface ApplicantRow21 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * requests carried forward to next year
 */
export interface ApplicantRow22 {
/**
 * natural persons
 */
natural_person: (number | null)
/**
 * commercial enterprises
 */
commercial_enterprise: (number | null)
/**
 * research institutions
 */
research_institution: (number | null)
/**
 * social welfare organisations
 */
social_welfare_org: (number | null)
/**
 * legal service organisations
 */
legal_service_org: (number | null)
/**
 * other organisations
 */
other_org: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * section 4: administrative review and litigation (table 4)
 */
export interface ReviewLitigation {
administrative_review: ReviewBlock
litigation_direct: ReviewBlock1
litigation_after_review: ReviewBlock2
}
/**
 * administrative review
 */
export interface ReviewBlock {
/**
 * upheld
 */
upheld: (number | null)
/**
 * corrected
 */
corrected: (number | null)
/**
 * other result
 */
other: (number | null)
/**
 * pending
 */
pending: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * lawsuits filed without prior review
 */
export interface ReviewBlock1 {
/**
 * upheld
 */
upheld: (number | null)
/**
 * corrected
 */
corrected: (number | null)
/**
 * other result
 */
other: (number | null)
/**
 * pending
 */
pending: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * lawsuits filed after review
 */
export interface ReviewBlock2 {
/**
 * upheld
 */
upheld: (number | null)
/**
 * corrected
 */
corrected: (number | null)
/**
 * other result
 */
other: (number | null)
/**
 * pending
 */
pending: (number | null)
/**
 * total
 */
total: (number | null)
}
/**
 * cells a parser could not read: cell address -> reason code
 */
export interface Unread {
[k: string]: ("ambiguous" | "conflicting" | "illegible" | "no_values" | "row_not_found" | "table_not_found" | "too_long" | "unsplittable" | "value_count") | undefined
}
/**
 * cells read from a scanned page by OCR: cell address -> the OCR confidence (0-1); a misreading is possible, so findings that use them say so
 */
export interface Ocr {
[k: string]: number | undefined
}
