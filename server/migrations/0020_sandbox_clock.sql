-- A sandbox ad account's clock: the days it was moved forward (its days run that far ahead of the
-- calendar) and the days of a running simulation still to live. Zero for Meta's accounts.
ALTER TABLE ad_accounts ADD COLUMN clock_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ad_accounts ADD COLUMN clock_left INTEGER NOT NULL DEFAULT 0;
