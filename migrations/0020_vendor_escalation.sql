-- Issue 9 leftovers (decision 0046).
-- A vendor may say a model is affected and no fix is planned (CSAF no_fix_planned).
ALTER TABLE vendor_case_models DROP CONSTRAINT ck_vendor_case_models_status;
ALTER TABLE vendor_case_models ADD CONSTRAINT ck_vendor_case_models_status
    CHECK (status IN ('Unknown', 'Affected', 'NotAffected', 'FixClaimed', 'FixVerified', 'NoFixPlanned'));

-- Membership requests unanswered for 3 days reach the portal's administrators by e-mail and inbox: a notification
-- addressed to the administrator (user_id), naming no circular, written when it is sent.
ALTER TABLE notifications DROP CONSTRAINT ck_notifications_purpose;
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_purpose
    CHECK (purpose IN ('Published', 'Amended', 'Reminder', 'Escalation', 'VendorCase', 'DeviceFlagged', 'ExemptionExpired',
                       'CaseActivity', 'CaseDeadline', 'StaleDigest', 'MembershipEscalation'));
