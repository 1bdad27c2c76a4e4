/// The Log Analytics tables that hold ACS SMS logs, and the diagnostic category of
/// each: a workspace data export names its container `am-<table>` and its rows carry
/// the table name in `Type`, where a storage export would have the category.
package enum WorkspaceTables {
    package static let categories = [
        "acssmsincomingoperations": "SMSOperational",
        "acsbillingusage": "Usage",
    ]

    /// The category the rows of table `name` (any letter case) belong to, if it is an ACS SMS table.
    package static func category(ofTable name: String) -> String? {
        categories[name.lowercased()]
    }
}
