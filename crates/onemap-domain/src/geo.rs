//! Geographic points (WGS84 / CGCS2000 degrees) and their validation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;

/// A location in decimal degrees, longitude first (GeoJSON order).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// Rough extent of China's territory; a point outside it is almost always a typo or swapped
/// coordinates in a Chinese command centre's data.
const CHINA_LON: (f64, f64) = (73.0, 135.5);
const CHINA_LAT: (f64, f64) = (3.0, 54.0);

impl Point {
    /// Validates a point; errors name the field `lon` or `lat`.
    pub fn new(lon: f64, lat: f64) -> Result<Self, FieldError> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(FieldError::new("lon", format!("{lon} is out of range [-180, 180]")));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            let hint = if (CHINA_LON.0..=CHINA_LON.1).contains(&lat) { " (lon and lat swapped?)" } else { "" };
            return Err(FieldError::new("lat", format!("{lat} is out of range [-90, 90]{hint}")));
        }
        let in_china = (CHINA_LON.0..=CHINA_LON.1).contains(&lon) && (CHINA_LAT.0..=CHINA_LAT.1).contains(&lat);
        if !in_china {
            let swapped = (CHINA_LON.0..=CHINA_LON.1).contains(&lat) && (CHINA_LAT.0..=CHINA_LAT.1).contains(&lon);
            let hint = if swapped { "; lon and lat look swapped" } else { "" };
            return Err(FieldError::new(
                "lon",
                format!(
                    "({lon}, {lat}) lies outside China ({}–{}E, {}–{}N){hint}",
                    CHINA_LON.0, CHINA_LON.1, CHINA_LAT.0, CHINA_LAT.1
                ),
            ));
        }
        Ok(Self { lon, lat })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_tonghua_and_names_bad_coordinates() {
        assert!(Point::new(125.94, 41.73).is_ok());
        assert_eq!(Point::new(181.0, 41.0).unwrap_err().field, "lon");
        assert!(Point::new(f64::NAN, 41.0).is_err());
        let swapped = Point::new(41.73, 125.94).unwrap_err();
        assert_eq!(swapped.field, "lat");
        assert!(swapped.message.contains("swapped"), "{}", swapped.message);
        let outside = Point::new(2.35, 48.85).unwrap_err();
        assert!(outside.message.contains("outside China"), "{}", outside.message);
    }
}
