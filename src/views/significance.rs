//! What is significant in a cross-table: Pearson's χ² test of independence (statistic, degrees
//! of freedom, p-value from the χ² distribution of `statrs`, and how many cells have an
//! expected count below 5) and, per cell, Haberman's adjusted standardized residual, marked ▲
//! at [`CRITICAL`] or above and ▽ at −[`CRITICAL`] or below (two-sided 5 %).
//!
//! The adjusted residual of a cell depends only on its count, its row and column totals and the
//! grand total: (n − e) / √(e (1 − row/N) (1 − column/N)) with e = row × column / N. That is
//! also the residual of the cell in the 2 × K table "column vs not column" by row, so it stays
//! valid when an answer counts in several columns (multiple categories): the column total is
//! then the number of answers that have the category, N the number of answers — each answer is
//! counted once in that table. The χ² test, on the other hand, needs each answer in exactly one
//! cell; the report tests the table of primary categories (see [`crate::report::CrossTable`]).

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// |residual| at or above this is marked: the two-sided 5 % point of the standard normal.
pub const CRITICAL: f64 = 1.96;

/// Expected counts below this make the χ² approximation doubtful (Cochran's rule: at most a
/// fifth of the cells).
pub const SMALL_EXPECTED: f64 = 5.0;

/// Pearson's χ² test of independence of a table of counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Independence {
    /// Σ (n − e)² / e over the cells tested.
    pub statistic: f64,
    /// (rows − 1) × (columns − 1) of the rows and columns tested.
    pub df: usize,
    /// P(χ²(df) ≥ statistic).
    pub p_value: f64,
    /// Rows × columns tested: rows and columns whose total is zero are left out.
    pub cells: usize,
    /// Of those, cells whose expected count is below [`SMALL_EXPECTED`].
    pub small_expected: usize,
    /// Counts in the table tested.
    pub n: usize,
}

impl Independence {
    /// The share of cells with an expected count below [`SMALL_EXPECTED`].
    pub fn small_share(&self) -> f64 {
        if self.cells == 0 {
            0.0
        } else {
            self.small_expected as f64 / self.cells as f64
        }
    }
}

/// Pearson's χ² test of independence of `table` (rows of counts, all of one length). Rows and
/// columns with a zero total are left out (they have no expected counts); `None` when fewer
/// than two rows or two columns remain.
pub fn independence(table: &[Vec<usize>]) -> Option<Independence> {
    let columns = table.first().map_or(0, Vec::len);
    let row_totals: Vec<usize> = table.iter().map(|row| row.iter().sum()).collect();
    let column_totals: Vec<usize> = (0..columns)
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let n: usize = row_totals.iter().sum();
    let rows_kept = row_totals.iter().filter(|&&total| total > 0).count();
    let columns_kept = column_totals.iter().filter(|&&total| total > 0).count();
    if rows_kept < 2 || columns_kept < 2 {
        return None;
    }
    let total = n as f64;
    let mut statistic = 0.0;
    let mut small_expected = 0;
    for (row, &row_total) in table.iter().zip(&row_totals) {
        if row_total == 0 {
            continue;
        }
        for (&count, &column_total) in row.iter().zip(&column_totals) {
            if column_total == 0 {
                continue;
            }
            let expected = row_total as f64 * column_total as f64 / total;
            statistic += (count as f64 - expected).powi(2) / expected;
            small_expected += usize::from(expected < SMALL_EXPECTED);
        }
    }
    let df = (rows_kept - 1) * (columns_kept - 1);
    let p_value = ChiSquared::new(df as f64)
        .map(|distribution| distribution.sf(statistic))
        .unwrap_or(f64::NAN);
    Some(Independence {
        statistic,
        df,
        p_value,
        cells: rows_kept * columns_kept,
        small_expected,
        n,
    })
}

/// Haberman's adjusted standardized residual of a cell of `count` in a row of `row` and a
/// column of `column` counts, out of `total`: approximately standard normal under
/// independence. `None` when it is undefined — an empty row or column, or one that holds the
/// whole table (its variance is zero).
pub fn adjusted_residual(count: usize, row: usize, column: usize, total: usize) -> Option<f64> {
    if row == 0 || column == 0 || row >= total || column >= total {
        return None;
    }
    let (count, row, column, total) = (count as f64, row as f64, column as f64, total as f64);
    let expected = row * column / total;
    let variance = expected * (1.0 - row / total) * (1.0 - column / total);
    Some((count - expected) / variance.sqrt())
}

/// The adjusted residual of every cell of `table`, from its own margins.
pub fn adjusted_residuals(table: &[Vec<usize>]) -> Vec<Vec<Option<f64>>> {
    let columns = table.first().map_or(0, Vec::len);
    let column_totals: Vec<usize> = (0..columns)
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let total: usize = column_totals.iter().sum();
    table
        .iter()
        .map(|row| {
            let row_total: usize = row.iter().sum();
            row.iter()
                .zip(&column_totals)
                .map(|(&count, &column_total)| {
                    adjusted_residual(count, row_total, column_total, total)
                })
                .collect()
        })
        .collect()
}

/// A cell that differs significantly from independence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// More than expected: residual ≥ [`CRITICAL`].
    Above,
    /// Fewer than expected: residual ≤ −[`CRITICAL`].
    Below,
}

impl Mark {
    /// The mark of a residual, if it is significant.
    pub fn of(residual: Option<f64>) -> Option<Mark> {
        match residual {
            Some(r) if r >= CRITICAL => Some(Mark::Above),
            Some(r) if r <= -CRITICAL => Some(Mark::Below),
            _ => None,
        }
    }

    /// ▲ or ▽, as Japanese survey reports mark them.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Above => "▲",
            Mark::Below => "▽",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Agresti, *An Introduction to Categorical Data Analysis* (2nd ed., 2007), Table 2.5:
    /// party identification by gender (General Social Survey 2000). Section 2.4.3 gives
    /// X² = 30.1 on df = 2; Table 2.6 the adjusted residuals 4.50, 0.70, −5.32 (females) and
    /// their negatives (males). By hand: totals 1557 / 1200 (rows), 1246 / 566 / 945 (columns),
    /// N = 2757; e(F, Dem) = 1557 × 1246 / 2757 = 703.67, so the first residual is
    /// (762 − 703.67) / √(703.67 × (1 − 1557/2757) × (1 − 1246/2757)) = 58.33 / 12.96 = 4.50.
    /// For df = 2 the χ² survival function is exp(−x/2): p = exp(−30.070 / 2) = 2.95e-7.
    #[test]
    fn agresti_party_identification_by_gender() {
        let table = vec![vec![762, 327, 468], vec![484, 239, 477]];
        let test = independence(&table).expect("a 2 × 3 table");
        assert!((test.statistic - 30.070).abs() < 1e-3, "{test:?}");
        assert_eq!(test.df, 2);
        assert!(
            (test.p_value - (-test.statistic / 2.0).exp()).abs() < 1e-12,
            "{test:?}"
        );
        assert!((test.p_value - 2.95e-7).abs() < 0.01e-7, "{test:?}");
        assert_eq!((test.cells, test.small_expected, test.n), (6, 0, 2757));
        let residuals = adjusted_residuals(&table);
        let published = [[4.50, 0.70, -5.32], [-4.50, -0.70, 5.32]];
        for (row, expected) in residuals.iter().zip(published) {
            for (residual, expected) in row.iter().zip(expected) {
                let residual = residual.expect("defined");
                assert!(
                    (residual - expected).abs() < 0.005,
                    "{residual} vs {expected}"
                );
            }
        }
        let marks: Vec<Option<Mark>> = residuals[0].iter().map(|r| Mark::of(*r)).collect();
        assert_eq!(marks, vec![Some(Mark::Above), None, Some(Mark::Below)]);
    }

    /// A 2 × 2 table's χ² is the square of either cell's adjusted residual, and empty rows and
    /// columns are left out of the test.
    #[test]
    fn empty_margins_are_left_out_and_two_by_two_residual_squares_to_chi_square() {
        let table = vec![vec![10, 0, 20], vec![0, 0, 0], vec![30, 0, 5]];
        let test = independence(&table).expect("2 × 2 after the empty row and column");
        assert_eq!((test.df, test.cells), (1, 4));
        let residual = adjusted_residuals(&table)[0][0].expect("defined");
        assert!((residual * residual - test.statistic).abs() < 1e-9);
        assert_eq!(adjusted_residuals(&table)[1][0], None);
        assert_eq!(independence(&[vec![3, 4]]), None);
        // Margins 6 / 4 and 4 / 6 of 10: expected counts 2.4, 3.6, 1.6 and 2.4, all below 5.
        let small = independence(&[vec![3, 3], vec![1, 3]]).expect("2 × 2");
        assert_eq!(small.small_expected, 4);
        assert!((small.small_share() - 1.0).abs() < 1e-12);
    }
}
